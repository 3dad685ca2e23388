package io.askexpert.fusion;

import java.util.ArrayList;
import java.util.List;

/**
 * Assembles a team greedily: the best candidate leads; each further seat goes to the candidate
 * with the best fused score once its ranks are divided by its boost, {@code 1 + strength × mean
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

    List<WeightedRrf.Fused> assemble(List<WeightedRrf.Fused> ranked, int size, Synergy synergy, Rescorer rescorer) {
        List<WeightedRrf.Fused> remaining = new ArrayList<>(ranked);
        List<WeightedRrf.Fused> team = new ArrayList<>();
        while (team.size() < size && !remaining.isEmpty()) {
            WeightedRrf.Fused best = null;
            double bestScore = -1;
            for (WeightedRrf.Fused candidate : remaining) {
                double score = rescorer.score(candidate, boost(candidate, team, synergy));
                if (score > bestScore) {
                    best = candidate;
                    bestScore = score;
                }
            }
            team.add(best);
            remaining.remove(best);
        }
        return team;
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
