package io.askexpert.evaluation;

import io.askexpert.agents.Agent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The baseline routing is measured against: each expert's whole profile (every descriptive field,
 * the system prompt included) as one TF-IDF vector (sublinear term frequency, smoothed inverse
 * document frequency, unit length), and a question goes to the profiles nearest by cosine. Words
 * are lower-cased letter and digit runs (so {@code signal_detection} is two words), stop words
 * dropped, a trailing plural {@code s} cut. Nothing here is tuned to any routing set.
 */
final class TfIdfBaseline {

    private static final Set<String> STOP = Set.of("a", "an", "the", "of", "and", "or", "for", "to", "in", "on",
            "with", "by", "at", "as", "is", "are", "be", "was", "were", "it", "its", "this", "that", "these", "those",
            "from", "we", "our", "you", "your", "i", "my", "what", "how", "which", "who", "when", "do", "does", "can",
            "should", "will", "would", "not", "no", "if", "so", "than", "then", "there", "their", "they", "them",
            "into", "about", "all", "any", "has", "have", "had", "but", "also", "such", "may", "must", "us");

    private final List<String> slugs = new ArrayList<>();
    private final List<Map<String, Double>> vectors = new ArrayList<>();
    private final Map<String, Double> idf = new HashMap<>();

    TfIdfBaseline(List<Agent> agents) {
        List<Map<String, Integer>> counts = new ArrayList<>();
        Map<String, Integer> documentFrequency = new HashMap<>();
        for (Agent a : agents) {
            Map<String, Integer> tf = new HashMap<>();
            words(profile(a)).forEach(w -> tf.merge(w, 1, Integer::sum));
            tf.keySet().forEach(w -> documentFrequency.merge(w, 1, Integer::sum));
            counts.add(tf);
            slugs.add(a.slug());
        }
        int n = agents.size();
        documentFrequency.forEach((w, df) -> idf.put(w, Math.log((1.0 + n) / (1.0 + df)) + 1));
        counts.forEach(tf -> vectors.add(weigh(tf)));
    }

    /** The {@code k} nearest profiles' slugs, best first (ties in catalogue order). */
    List<String> nearest(String question, int k) {
        Map<String, Integer> tf = new HashMap<>();
        words(question).stream().filter(idf::containsKey).forEach(w -> tf.merge(w, 1, Integer::sum));
        Map<String, Double> q = weigh(tf);
        double[] scores = new double[vectors.size()];
        for (int i = 0; i < vectors.size(); i++) {
            Map<String, Double> v = vectors.get(i);
            double dot = 0;
            for (var e : q.entrySet()) {
                dot += e.getValue() * v.getOrDefault(e.getKey(), 0.0);
            }
            scores[i] = dot;
        }
        return java.util.stream.IntStream.range(0, scores.length).boxed()
                .filter(i -> scores[i] > 0)
                .sorted((a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a]) : Integer.compare(a, b))
                .limit(k).map(slugs::get).toList();
    }

    private Map<String, Double> weigh(Map<String, Integer> tf) {
        Map<String, Double> v = new HashMap<>();
        double norm = 0;
        for (var e : tf.entrySet()) {
            double w = (1 + Math.log(e.getValue())) * idf.getOrDefault(e.getKey(), 0.0);
            v.put(e.getKey(), w);
            norm += w * w;
        }
        double length = Math.sqrt(norm);
        if (length > 0) {
            v.replaceAll((w, x) -> x / length);
        }
        return v;
    }

    static String profile(Agent a) {
        return String.join(" ", List.of(a.name(), a.displayName(), a.specialty(), a.description(),
                String.join(" ", a.domains()), String.join(" ", a.capabilities()), String.join(" ", a.regions()),
                String.join(" ", a.therapeuticAreas()), String.join(" ", a.phases()), a.systemPrompt()));
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String raw : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (raw.isEmpty() || STOP.contains(raw)) {
                continue;
            }
            out.add(raw.length() > 3 && raw.endsWith("s") && !raw.endsWith("ss") ? raw.substring(0, raw.length() - 1) : raw);
        }
        return out;
    }
}
