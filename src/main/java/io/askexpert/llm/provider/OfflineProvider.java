package io.askexpert.llm.provider;

import io.askexpert.knowledge.Source;
import io.askexpert.llm.Attempt;
import io.askexpert.llm.LlmFailureException;
import io.askexpert.llm.LlmProvider;
import io.askexpert.llm.LlmRequest;
import io.askexpert.llm.StopReason;
import io.askexpert.llm.Usage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answers with no model at all, when no provider key is configured: the passages' sentences
 * that share the most words with the question, each followed by its {@code [n]} citation, under
 * a line that says the answer is offline. Streamed word by word like a model's answer. It never
 * calls a tool: a request's tools are ignored (the keyless mission path plans without a model).
 */
public final class OfflineProvider implements LlmProvider {

    public static final String MODEL = "offline-extractive";
    static final String LABEL = "Offline answer (no LLM provider configured): the most relevant sentences "
            + "of the retrieved sources, quoted as they are.";
    static final String NO_SOURCES = "Offline answer (no LLM provider configured): no source passage was "
            + "retrieved for this question, so there is nothing to quote. Configure ANTHROPIC_API_KEY or "
            + "OPENAI_API_KEY for generated answers.";
    private static final int MAX_SENTENCES = 4;
    /** Shorter "sentences" are headings and list labels, not statements worth quoting. */
    private static final int MIN_SENTENCE = 40;
    /**
     * A sentence ends at {@code .}, {@code !} or {@code ?} followed by white space, or at a line
     * end: a stop inside a token ("§312.23", "21 CFR 312.32", "0.5 mg") does not end it.
     */
    private static final Pattern SENTENCE = Pattern.compile("[^\\n]+?(?:[.!?]+(?=\\s|$)|(?=\\n)|$)");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]{3,}");
    private static final Pattern DELTA = Pattern.compile("\\S+\\s*|\\s+");
    private static final Set<String> STOPWORDS = Set.of("the", "and", "for", "are", "was", "what", "which", "with",
            "that", "this", "from", "have", "has", "how", "does", "can", "its", "not", "but", "you", "your", "when",
            "who", "why", "will", "would", "should", "about", "into", "there", "their", "they", "them", "been");

    @Override
    public String name() {
        return "offline";
    }

    @Override
    public boolean offline() {
        return true;
    }

    @Override
    public StopReason stream(LlmRequest request, String model, Attempt attempt) throws LlmFailureException {
        String answer = answer(request);
        long deltas = 0;
        Matcher m = DELTA.matcher(answer);
        while (m.find() && !attempt.aborted()) {
            attempt.text(m.group());
            deltas++;
        }
        attempt.usage(new Usage(estimateTokens(request), deltas, 0, 0));
        return StopReason.END_TURN;
    }

    @Override
    public Answer complete(LlmRequest request, String model, Attempt attempt) {
        String answer = answer(request);
        long deltas = DELTA.matcher(answer).results().count();
        attempt.usage(new Usage(estimateTokens(request), deltas, 0, 0));
        return new Answer(answer, StopReason.END_TURN);
    }

    /**
     * The extractive answer: the sentences that share the most informative question words, in
     * the order of their scores. A word's weight is its rarity among the candidate sentences, so
     * "portal" decides more than "clinical" when every passage is about clinical trials.
     */
    static String answer(LlmRequest request) {
        Set<String> questionWords = words(request.question());
        record Candidate(String sentence, int cite, Set<String> shared, double confidence, int order) {
        }
        List<Candidate> candidates = new ArrayList<>();
        Map<String, Integer> frequency = new HashMap<>();
        int sentences = 0;
        for (Source passage : request.passages()) {
            Matcher m = SENTENCE.matcher(passage.excerpt());
            while (m.find()) {
                String sentence = m.group().strip();
                Set<String> words = words(sentence);
                if (sentence.length() < MIN_SENTENCE || words.size() < 4) {
                    continue;
                }
                sentences++;
                words.retainAll(questionWords);
                words.forEach(w -> frequency.merge(w, 1, Integer::sum));
                if (!words.isEmpty()) {
                    candidates.add(new Candidate(sentence, passage.index(), words, passage.confidence(),
                            candidates.size()));
                }
            }
        }
        if (candidates.isEmpty()) {
            return NO_SOURCES;
        }
        int total = sentences;
        ToDoubleFunction<String> weight = w -> Math.log(1.0 + (double) total / frequency.getOrDefault(w, 1));
        double questionWeight = questionWords.stream().mapToDouble(weight).sum();
        ToDoubleFunction<Candidate> score = c -> c.shared().stream().mapToDouble(weight).sum() / questionWeight
                + 0.1 * c.confidence();
        List<Candidate> best = candidates.stream()
                .sorted(Comparator.comparingDouble(score).reversed().thenComparingInt(Candidate::order))
                .limit(MAX_SENTENCES).toList();
        StringBuilder out = new StringBuilder(LABEL).append("\n\n");
        Set<String> seen = new HashSet<>();
        for (Candidate c : best) {
            if (seen.add(c.sentence())) {
                out.append(c.sentence()).append(" [").append(c.cite()).append("] ");
            }
        }
        return out.toString().strip();
    }

    static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            if (!STOPWORDS.contains(m.group())) {
                words.add(m.group());
            }
        }
        return words;
    }

    private static long estimateTokens(LlmRequest request) {
        long chars = request.systemWithSources().length();
        for (var message : request.messages()) {
            chars += message.text().length();
        }
        return (chars + 3) / 4;
    }
}
