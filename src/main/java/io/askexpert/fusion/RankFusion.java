package io.askexpert.fusion;

import io.askexpert.config.FusionMethod;
import io.askexpert.config.FusionSettings;
import io.askexpert.fusion.FusionRetriever.Source;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the sources' hits become one ranked list of candidates ({@code FUSION_METHOD}). Whatever the
 * ranking, a candidate's confidence is the same: {@code 100 × Σ_s w_s · rel_s(e) / Σ_all w_s}, where
 * {@code rel_s} is the hit's score relative to the source's best, read from the hits each source is
 * sure of and the vector source's whole list. Dividing by every configured weight, answered or not,
 * is what makes a selection that only one source supports, or that a timed-out source could not
 * confirm, less sure.
 */
sealed interface RankFusion permits WeightedRrf, WeightedScore {

    /** One fused candidate: its score in this method's units, its confidence (0–100) and its rank per source. */
    record Fused(String expertId, double fusedScore, int confidence, Map<String, Integer> ranks) {
    }

    /**
     * @param decisive each source's hits it is sure of ({@link FusionEngine#decisive})
     * @param whole    each source's whole list, as it returned it
     * @return the candidates, best first
     */
    List<Fused> rank(Map<Source, List<RetrieverHit>> decisive, Map<Source, List<RetrieverHit>> whole,
                     FusionEvidence.Weights weights);

    /** The candidate's score with synergy's {@code boost} (≥ 1) applied, for {@link PanelSeating}. */
    double rescored(Fused candidate, FusionEvidence.Weights weights, double boost);

    FusionMethod method();

    static RankFusion of(FusionSettings settings) {
        return switch (settings.method()) {
            case WEIGHTED_RRF -> new WeightedRrf(settings.rrfK());
            case WEIGHTED_SCORE -> new WeightedScore(FusionEngine.VECTOR_MARGIN);
        };
    }

    static double weight(FusionEvidence.Weights weights, Source source) {
        return switch (source) {
            case VECTOR -> weights.vector();
            case GRAPH -> weights.graph();
            case RELATIONAL -> weights.relational();
        };
    }

    /**
     * The lists confidence reads: the decisive hits, with the vector source's whole list, so an expert
     * the graph or the full text found keeps the similarity that makes it a credible panel member.
     */
    static Map<Source, List<RetrieverHit>> weighed(Map<Source, List<RetrieverHit>> decisive,
                                                   Map<Source, List<RetrieverHit>> whole) {
        Map<Source, List<RetrieverHit>> weighed = new EnumMap<>(Source.class);
        weighed.putAll(decisive);
        if (whole.containsKey(Source.VECTOR)) {
            weighed.put(Source.VECTOR, whole.get(Source.VECTOR));
        }
        return weighed;
    }

    /** Each candidate's confidence, 0 to 100 (see the type's comment). */
    static Map<String, Integer> confidences(Set<String> candidates, Map<Source, List<RetrieverHit>> weighed,
                                            FusionEvidence.Weights weights) {
        double totalWeight = weights.vector() + weights.graph() + weights.relational();
        Map<String, Double> relevance = new HashMap<>();
        weighed.forEach((source, hits) -> {
            double w = weight(weights, source);
            double best = hits.stream().mapToDouble(RetrieverHit::score).max().orElse(0);
            Set<String> seen = new HashSet<>();
            for (RetrieverHit hit : hits) {
                if (candidates.contains(hit.expertId()) && seen.add(hit.expertId())) {
                    double rel = best > 0 ? Math.max(0, Math.min(1, hit.score() / best)) : 0;
                    relevance.merge(hit.expertId(), w * rel, Double::sum);
                }
            }
        });
        Map<String, Integer> out = new HashMap<>();
        for (String id : candidates) {
            out.put(id, totalWeight <= 0 ? 0 : (int) Math.round(100 * relevance.getOrDefault(id, 0.0) / totalWeight));
        }
        return out;
    }

    /** Each source's rank of each expert it returned (first occurrence, from 1). */
    static Map<String, Map<String, Integer>> ranks(Map<Source, List<RetrieverHit>> lists) {
        Map<String, Map<String, Integer>> ranks = new HashMap<>();
        lists.forEach((source, hits) -> {
            int rank = 0;
            Set<String> seen = new HashSet<>();
            for (RetrieverHit hit : hits) {
                if (seen.add(hit.expertId())) {
                    rank++;
                    ranks.computeIfAbsent(hit.expertId(), id -> new HashMap<>()).put(source.key(), rank);
                }
            }
        });
        return ranks;
    }
}
