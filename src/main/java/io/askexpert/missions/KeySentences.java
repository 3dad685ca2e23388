package io.askexpert.missions;

import io.askexpert.knowledge.Source;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sentences of some passages that say most about a query, each with the number of the passage
 * it comes from: what the offline executor reports instead of a model's prose. A word counts more
 * the rarer it is among the candidate sentences; ties keep the passages' order.
 */
final class KeySentences {

    /** One quoted sentence and the source number to cite after it. */
    record Quote(String sentence, int source) {
    }

    private static final Pattern SENTENCE = Pattern.compile("[^\\n]+?(?:[.!?]+(?=\\s|$)|(?=\\n)|$)");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]{3,}");
    private static final int MIN_CHARS = 40;
    private static final int MAX_CHARS = 600;

    private KeySentences() {
    }

    static List<Quote> pick(String query, List<Source> passages, int limit) {
        Set<String> asked = words(query);
        record Candidate(String sentence, int source, Set<String> shared, double confidence, int order) {
        }
        List<Candidate> candidates = new ArrayList<>();
        java.util.Map<String, Integer> frequency = new java.util.HashMap<>();
        int total = 0;
        for (Source p : passages) {
            Matcher m = SENTENCE.matcher(p.excerpt());
            while (m.find()) {
                String sentence = m.group().strip();
                // Table rows, headings and sentences the excerpt cut short ("…") are not quotable statements.
                if (sentence.length() < MIN_CHARS || sentence.length() > MAX_CHARS || sentence.startsWith("|")
                        || sentence.startsWith("#") || sentence.endsWith("…") || sentence.endsWith("...")) {
                    continue;
                }
                total++;
                Set<String> shared = words(sentence);
                shared.retainAll(asked);
                shared.forEach(w -> frequency.merge(w, 1, Integer::sum));
                if (!shared.isEmpty()) {
                    candidates.add(new Candidate(sentence, p.index(), shared, p.confidence(), candidates.size()));
                }
            }
        }
        int sentences = Math.max(total, 1);
        Comparator<Candidate> best = Comparator.<Candidate>comparingDouble(c -> c.shared().stream()
                        .mapToDouble(w -> Math.log(1.0 + (double) sentences / frequency.getOrDefault(w, 1))).sum()
                        + 0.1 * c.confidence()).reversed().thenComparingInt(Candidate::order);
        List<Quote> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Candidate c : candidates.stream().sorted(best).toList()) {
            if (out.size() == limit) {
                break;
            }
            if (seen.add(c.sentence().toLowerCase(Locale.ROOT))) {
                out.add(new Quote(c.sentence(), c.source()));
            }
        }
        return out;
    }

    static Set<String> words(String text) {
        Set<String> out = new HashSet<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        out.removeAll(Set.of("the", "and", "for", "are", "was", "with", "that", "this", "from", "have", "has", "not",
                "our", "into", "their", "they", "them", "what", "which", "how", "its"));
        return out;
    }
}
