package io.askexpert.knowledge;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the hybrid strategy merges the keyword and the vector list.
 *
 * <p>{@link #RRF} (the default) is reciprocal-rank fusion, {@code Σ 1 / (k + rank)} with the
 * customary k = 60 (Cormack et al., SIGIR 2009), not tuned. It needs no calibration between BM25
 * and cosine scales, and stays right when one list is much stronger than the other: with the
 * bge-small embeddings, vector search alone scores nDCG@10 0.746 on SciFact's training split, RRF
 * 0.756, score fusion 0.731 (docs/KNOWLEDGE.md).
 *
 * <p>{@link #SCORE} is a convex combination of the two scores, each divided by its list's best:
 * BM25 ≥ 0 over the best BM25, cosine (clipped at 0) over the best cosine, then
 * {@code 0.5 · keyword + 0.5 · vector}. A chunk missing from one list takes that list's lowest
 * normalised score, the most it could have had there. With equal weights it follows the weaker
 * list further than rank fusion does.
 */
public enum HybridFusion {
    RRF, SCORE;

    static final int RRF_K = 60;
    static final double KEYWORD_WEIGHT = 0.5;

    /** Parses {@code KNOWLEDGE_FUSION}: {@code rrf} or {@code score}. */
    public static HybridFusion parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("KNOWLEDGE_FUSION must be rrf or score");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The best {@code topK} chunks of both lists, by descending fused score. */
    List<ScoredChunk> fuse(List<ScoredChunk> keyword, List<ScoredChunk> vector, int topK) {
        return switch (this) {
            case SCORE -> combine(keyword, vector, KEYWORD_WEIGHT, topK);
            case RRF -> rrf(List.of(keyword, vector), topK);
        };
    }

    /** The score a hybrid hit has as a 0–1 confidence. */
    double confidence(double score) {
        return switch (this) {
            case SCORE -> score;
            case RRF -> score / (2.0 / (RRF_K + 1));
        };
    }

    /** Convex combination of max-normalised scores; ties kept in keyword-list order. */
    static List<ScoredChunk> combine(List<ScoredChunk> keyword, List<ScoredChunk> vector, double keywordWeight, int topK) {
        Map<Long, Double> kw = normalised(keyword);
        Map<Long, Double> vec = normalised(vector);
        double kwFloor = floor(kw);
        double vecFloor = floor(vec);
        Map<Long, Double> fused = new LinkedHashMap<>();
        for (Long id : kw.keySet()) {
            fused.put(id, keywordWeight * kw.get(id) + (1 - keywordWeight) * vec.getOrDefault(id, vecFloor));
        }
        for (Long id : vec.keySet()) {
            fused.putIfAbsent(id, keywordWeight * kwFloor + (1 - keywordWeight) * vec.get(id));
        }
        return top(fused, topK);
    }

    /** Reciprocal-rank fusion: {@code Σ 1 / (k + rank)}, ties kept in first-list order. */
    static List<ScoredChunk> rrf(List<List<ScoredChunk>> lists, int topK) {
        Map<Long, Double> fused = new LinkedHashMap<>();
        for (List<ScoredChunk> list : lists) {
            for (int rank = 0; rank < list.size(); rank++) {
                fused.merge(list.get(rank).chunkId(), 1.0 / (RRF_K + rank + 1), Double::sum);
            }
        }
        return top(fused, topK);
    }

    /** Each score over the list's best, negative scores as 0; in list order. */
    private static Map<Long, Double> normalised(List<ScoredChunk> list) {
        double best = 0;
        for (ScoredChunk c : list) {
            best = Math.max(best, c.score());
        }
        Map<Long, Double> out = new LinkedHashMap<>();
        for (ScoredChunk c : list) {
            out.putIfAbsent(c.chunkId(), best > 0 ? Math.max(0, c.score()) / best : 0);
        }
        return out;
    }

    private static double floor(Map<Long, Double> normalised) {
        double min = normalised.isEmpty() ? 0 : 1;
        for (double v : normalised.values()) {
            min = Math.min(min, v);
        }
        return min;
    }

    /** The best {@code topK} by descending score; the sort is stable, so ties keep insertion order. */
    private static List<ScoredChunk> top(Map<Long, Double> fused, int topK) {
        return fused.entrySet().stream()
                .sorted(Map.Entry.<Long, Double>comparingByValue().reversed())
                .limit(topK)
                .map(e -> new ScoredChunk(e.getKey(), e.getValue()))
                .toList();
    }
}
