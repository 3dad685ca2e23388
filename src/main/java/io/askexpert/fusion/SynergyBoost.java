package io.askexpert.fusion;

import java.util.List;

/**
 * Synergy's lift for a panel candidate ({@link PanelSeating} seats greedily): {@code 1 + strength ×
 * mean synergy with the members already chosen} (capped at {@code maxBoost}), which the fusion
 * method applies to the candidate's score ({@link RankFusion#rescored}): under RRF its ranks are
 * divided by it, under weighted scores a share of the whole weight is added.
 */
final class SynergyBoost {

    /** How well two experts work together, 0 (unknown) to 1 (a declared collaboration). */
    interface Synergy {
        double between(String a, String b);
    }

    /** The fused score of a candidate with synergy's {@code boost} (≥ 1) applied ({@link RankFusion#rescored}). */
    interface Rescorer {
        double score(RankFusion.Fused candidate, double boost);
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

    double boost(RankFusion.Fused candidate, List<RankFusion.Fused> team, Synergy synergy) {
        if (team.isEmpty()) {
            return 1.0;
        }
        double mean = team.stream().mapToDouble(m -> synergy.between(m.expertId(), candidate.expertId()))
                .average().orElse(0);
        return Math.min(maxBoost, 1.0 + strength * mean);
    }
}
