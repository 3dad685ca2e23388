package io.askexpert.fusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted reciprocal-rank fusion: {@code fused(e) = Σ_s w_s / (k + rank_s(e))} over the sources
 * that returned {@code e}. Ranking uses the fused score; the confidence shown to users is
 * {@code 100 × Σ_s w_s · rel_s(e) / Σ_all w_s}, where {@code rel_s} is the hit's score relative to the
 * source's best hit. Dividing by every configured weight, answered or not, is what makes a
 * selection that only one source supports, or that a timed-out source could not confirm, less sure.
 */
final class WeightedRrf {

    /** One fused candidate. */
    record Fused(String expertId, double fusedScore, int confidence, Map<String, Integer> ranks) {
    }

    private final int k;

    WeightedRrf(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1");
        }
        this.k = k;
    }

    List<Fused> fuse(Map<FusionRetriever.Source, List<RetrieverHit>> answered, FusionEvidence.Weights weights) {
        return fuse(answered, answered, weights);
    }

    /**
     * @param ranked  the hits each source is sure of: they alone are fused and ranked
     * @param weighed the hits each source's relevance is read from for the confidence of the ranked
     *                candidates (a source's longer list, so a candidate another source found keeps
     *                what this one said of it)
     */
    List<Fused> fuse(Map<FusionRetriever.Source, List<RetrieverHit>> ranked,
                     Map<FusionRetriever.Source, List<RetrieverHit>> weighed, FusionEvidence.Weights weights) {
        double totalWeight = weights.vector() + weights.graph() + weights.relational();
        Map<String, Double> fused = new HashMap<>();
        Map<String, Double> relevance = new HashMap<>();
        Map<String, Map<String, Integer>> ranks = new HashMap<>();
        ranked.forEach((source, hits) -> {
            double w = weight(weights, source);
            int rank = 0;
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (RetrieverHit hit : hits) {
                if (!seen.add(hit.expertId())) {
                    continue;
                }
                rank++;
                fused.merge(hit.expertId(), w / (k + rank), Double::sum);
                ranks.computeIfAbsent(hit.expertId(), id -> new HashMap<>()).put(source.key(), rank);
            }
        });
        weighed.forEach((source, hits) -> {
            double w = weight(weights, source);
            double best = hits.stream().mapToDouble(RetrieverHit::score).max().orElse(0);
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (RetrieverHit hit : hits) {
                if (fused.containsKey(hit.expertId()) && seen.add(hit.expertId())) {
                    double rel = best > 0 ? Math.max(0, Math.min(1, hit.score() / best)) : 0;
                    relevance.merge(hit.expertId(), w * rel, Double::sum);
                }
            }
        });
        List<Fused> result = new ArrayList<>();
        fused.forEach((id, score) -> result.add(new Fused(id, score,
                totalWeight <= 0 ? 0 : (int) Math.round(100 * relevance.getOrDefault(id, 0.0) / totalWeight),
                Map.copyOf(ranks.get(id)))));
        result.sort(Comparator.comparingDouble(Fused::fusedScore).reversed().thenComparing(Fused::expertId));
        return result;
    }

    /** The candidate's fused score with each of its ranks divided by {@code rankDivisor} (synergy's lift). */
    double rescored(Fused candidate, FusionEvidence.Weights weights, double rankDivisor) {
        if (rankDivisor == 1.0) {
            return candidate.fusedScore();
        }
        double score = 0;
        for (var rank : candidate.ranks().entrySet()) {
            score += weight(weights, FusionRetriever.Source.of(rank.getKey())) / (k + rank.getValue() / rankDivisor);
        }
        return score;
    }

    static double weight(FusionEvidence.Weights weights, FusionRetriever.Source source) {
        return switch (source) {
            case VECTOR -> weights.vector();
            case GRAPH -> weights.graph();
            case RELATIONAL -> weights.relational();
        };
    }
}
