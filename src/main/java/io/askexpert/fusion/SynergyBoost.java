package io.askexpert.fusion;

import java.util.List;

/**
 * Synergy's lift for a panel candidate ({@link PanelSeating} seats greedily): the candidate's
 * ranks are divided by its boost, {@code 1 + strength × mean
 * synergy with the members already chosen} (capped at {@code maxBoost}). The boost works on ranks
 * because reciprocal-rank scores are flat (at k = 60, rank 1 and rank 15 differ by a factor of
 * 1.23): multiplying the fused score by 1.25 would seat a collaborator from far down the list,
 * while dividing its ranks by 1.25 lets it overtake candidates a rank or two above it and never a
 * clearly better one.
 */
final class SynergyBoost {

    /** How well two experts work together, 0 (unknown) to 1 (a declared collaboration). */
    interface Synergy {
        double between(String a, String b);
    }

    /** The fused score of a candidate whose every rank is divided by {@code boost} (≥ 1). */
    interface Rescorer {
        double score(WeightedRrf.Fused candidate, double boost);
    }

    private final double strength;
    private final double maxBoost;

    SynergyBoost(double strength, double maxBoost) {
        if (strength < 0 || maxBoost < 1) {
            throw new IllegalArgumentException("strength must be >= 0 and maxBoost >= 1");
        }
        this.strength = strength;
        this.maxBoost = maxBoost;
    }

    double boost(WeightedRrf.Fused candidate, List<WeightedRrf.Fused> team, Synergy synergy) {
        if (team.isEmpty()) {
            return 1.0;
        }
        double mean = team.stream().mapToDouble(m -> synergy.between(m.expertId(), candidate.expertId()))
                .average().orElse(0);
        return Math.min(maxBoost, 1.0 + strength * mean);
    }
}
