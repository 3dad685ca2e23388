package io.askexpert.fusion;

import io.askexpert.config.FusionMethod;
import io.askexpert.fusion.FusionRetriever.Source;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted score fusion ({@code FUSION_METHOD=weighted_score}): every expert any source returned is
 * scored {@code Σ_s w_s · term_s(e)} from each source's whole list, the terms on one scale:
 * <ul>
 *   <li>vector: the cosine below the source's best in units of the vector margin (0 for its best,
 *       −1 one margin, 0.03, below it); an expert it did not return counts as its last hit;</li>
 *   <li>graph: the reciprocal rank, 1, 1/2, 1/3 …; 0 when not returned;</li>
 *   <li>relational: the score as a share of the best, 0 to 1; 0 when not returned.</li>
 * </ul>
 * Reciprocal ranks at k = 60 are flat and drop how far apart a question's cosines are; here the
 * graph's first place (w_g · 1) outweighs a cosine up to w_g / w_v of a margin behind (0.026 at the
 * default weights), so it lifts an expert the vector source barely ranks lower and never one it
 * clearly prefers less. No constant is added: the unit is the margin the decisive cut already uses,
 * the weights are api.md's.
 */
final class WeightedScore implements RankFusion {

    private final double vectorUnit;

    WeightedScore(double vectorUnit) {
        if (!(vectorUnit > 0)) {
            throw new IllegalArgumentException("the vector unit must be positive");
        }
        this.vectorUnit = vectorUnit;
    }

    @Override
    public FusionMethod method() {
        return FusionMethod.WEIGHTED_SCORE;
    }

    @Override
    public List<Fused> rank(Map<Source, List<RetrieverHit>> decisive, Map<Source, List<RetrieverHit>> whole,
                            FusionEvidence.Weights weights) {
        Map<String, Map<String, Integer>> ranks = RankFusion.ranks(whole);
        Map<String, Integer> confidence = RankFusion.confidences(ranks.keySet(), RankFusion.weighed(decisive, whole),
                weights);
        Map<Source, Map<String, Double>> terms = new HashMap<>();
        Map<Source, Double> absent = new HashMap<>();
        whole.forEach((source, hits) -> {
            Map<String, Double> term = new HashMap<>();
            double best = hits.stream().mapToDouble(RetrieverHit::score).max().orElse(0);
            double worst = hits.stream().mapToDouble(RetrieverHit::score).min().orElse(0);
            for (RetrieverHit hit : hits) { // an expert's first hit counts, as in its rank
                term.putIfAbsent(hit.expertId(), switch (source) {
                    case VECTOR -> (hit.score() - best) / vectorUnit;
                    case GRAPH -> 1.0 / ranks.get(hit.expertId()).get(source.key());
                    case RELATIONAL -> best > 0 ? Math.max(0, hit.score() / best) : 0;
                });
            }
            terms.put(source, term);
            absent.put(source, source == Source.VECTOR ? (worst - best) / vectorUnit : 0.0);
        });
        List<Fused> result = new ArrayList<>();
        ranks.forEach((id, bysource) -> {
            double score = 0;
            for (Source source : Source.values()) { // one summation order, so equal candidates tie exactly
                if (terms.containsKey(source)) {
                    score += RankFusion.weight(weights, source)
                            * terms.get(source).getOrDefault(id, absent.get(source));
                }
            }
            result.add(new Fused(id, score, confidence.get(id), Map.copyOf(bysource)));
        });
        result.sort(Comparator.comparingDouble(Fused::fusedScore).reversed().thenComparing(Fused::expertId));
        return result;
    }

    /**
     * Synergy's lift as a share of the whole weight: the default cap (boost 1.25) adds at most 0.25,
     * about 0.6 of a margin of cosine at the default weights, so a collaborator overtakes a candidate
     * just above it and never a clearly better one (as dividing its ranks does under RRF).
     */
    @Override
    public double rescored(Fused candidate, FusionEvidence.Weights weights, double boost) {
        return candidate.fusedScore() + (boost - 1) * (weights.vector() + weights.graph() + weights.relational());
    }
}
