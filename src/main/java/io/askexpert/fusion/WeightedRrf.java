package io.askexpert.fusion;

import io.askexpert.config.FusionMethod;
import io.askexpert.fusion.FusionRetriever.Source;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Weighted reciprocal-rank fusion (api.md's {@code weighted_rrf}): {@code fused(e) = Σ_s w_s / (k +
 * rank_s(e))} over the sources whose decisive hits include {@code e}. Ranking uses the fused score;
 * the confidence is {@link RankFusion#confidences}.
 */
final class WeightedRrf implements RankFusion {

    private final int k;

    WeightedRrf(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1");
        }
        this.k = k;
    }

    @Override
    public FusionMethod method() {
        return FusionMethod.WEIGHTED_RRF;
    }

    @Override
    public List<Fused> rank(Map<Source, List<RetrieverHit>> decisive, Map<Source, List<RetrieverHit>> whole,
                            FusionEvidence.Weights weights) {
        return fuse(decisive, RankFusion.weighed(decisive, whole), weights);
    }

    List<Fused> fuse(Map<Source, List<RetrieverHit>> answered, FusionEvidence.Weights weights) {
        return fuse(answered, answered, weights);
    }

    /**
     * @param ranked  the hits each source is sure of: they alone are fused and ranked
     * @param weighed the hits each source's relevance is read from for the confidence of the ranked
     *                candidates (a source's longer list, so a candidate another source found keeps
     *                what this one said of it)
     */
    List<Fused> fuse(Map<Source, List<RetrieverHit>> ranked, Map<Source, List<RetrieverHit>> weighed,
                     FusionEvidence.Weights weights) {
        Map<String, Map<String, Integer>> ranks = RankFusion.ranks(ranked);
        Map<String, Integer> confidence = RankFusion.confidences(ranks.keySet(), weighed, weights);
        List<Fused> result = new ArrayList<>();
        ranks.forEach((id, bysource) -> {
            double score = 0;
            for (Source source : Source.values()) { // one summation order, so equal candidates tie exactly
                Integer rank = bysource.get(source.key());
                if (rank != null) {
                    score += RankFusion.weight(weights, source) / (k + rank);
                }
            }
            result.add(new Fused(id, score, confidence.get(id), Map.copyOf(bysource)));
        });
        result.sort(Comparator.comparingDouble(Fused::fusedScore).reversed().thenComparing(Fused::expertId));
        return result;
    }

    /**
     * The candidate's fused score with each of its ranks divided by {@code boost}. Synergy works on
     * ranks because reciprocal-rank scores are flat (at k = 60, rank 1 and rank 15 differ by a factor
     * of 1.23): multiplying the score by 1.25 would seat a collaborator from far down the list, while
     * dividing its ranks lets it overtake candidates a rank or two above it and never a clearly better one.
     */
    @Override
    public double rescored(Fused candidate, FusionEvidence.Weights weights, double boost) {
        if (boost == 1.0) {
            return candidate.fusedScore();
        }
        double score = 0;
        for (var rank : candidate.ranks().entrySet()) {
            score += RankFusion.weight(weights, Source.of(rank.getKey())) / (k + rank.getValue() / boost);
        }
        return score;
    }
}
