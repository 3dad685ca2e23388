package io.askexpert.fusion;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Seats the panel behind the lead (the best fused candidate). Candidates are considered in fused
 * order, synergy with the members already seated lifting a candidate a rank or two
 * ({@link SynergyBoost}); one is seated only when its confidence clears the panel bar and it
 * covers a concept of the question that no one seated covers yet, so every member has a reason to
 * be there beyond ranking next. Only the first few candidates after the lead are considered: a
 * member is never fetched from far down the list to fill a seat.
 */
final class PanelSeating {

    /** A seated expert: its fusion result, the synergy lift that seated it, and what it adds. */
    record Seat(RankFusion.Fused member, double synergyBoost, List<String> adds) {
    }

    /** Candidates after the lead considered per seat asked for. */
    private static final int CANDIDATES_PER_SEAT = 3;

    private final int bar;
    private final SynergyBoost synergy;

    PanelSeating(int bar, SynergyBoost synergy) {
        this.bar = bar;
        this.synergy = synergy;
    }

    int bar() {
        return bar;
    }

    /**
     * @param ranked candidates that cleared the lead's threshold, best fused score first (not empty)
     * @param covers the question's concepts each candidate covers, by expert id
     */
    List<Seat> seat(List<RankFusion.Fused> ranked, int size, SynergyBoost.Synergy pairs,
                    SynergyBoost.Rescorer rescorer, Function<String, List<String>> covers) {
        RankFusion.Fused lead = ranked.getFirst();
        List<Seat> seats = new ArrayList<>();
        seats.add(new Seat(lead, 1.0, covers.apply(lead.expertId())));
        Set<String> covered = new LinkedHashSet<>(covers.apply(lead.expertId()));
        List<RankFusion.Fused> team = new ArrayList<>(List.of(lead));
        List<RankFusion.Fused> remaining = new ArrayList<>(
                ranked.subList(1, Math.min(ranked.size(), 1 + CANDIDATES_PER_SEAT * Math.max(0, size - 1))));
        while (seats.size() < size && !remaining.isEmpty()) {
            RankFusion.Fused next = null;
            double nextScore = Double.NEGATIVE_INFINITY; // weighted scores can be negative
            for (RankFusion.Fused candidate : remaining) {
                double score = rescorer.score(candidate, synergy.boost(candidate, team, pairs));
                if (score > nextScore) {
                    next = candidate;
                    nextScore = score;
                }
            }
            remaining.remove(next);
            if (next.confidence() < bar) {
                continue;
            }
            List<String> adds = covers.apply(next.expertId()).stream().filter(c -> !covered.contains(c)).toList();
            if (adds.isEmpty()) {
                continue;
            }
            seats.add(new Seat(next, synergy.boost(next, team, pairs), adds));
            covered.addAll(adds);
            team.add(next);
        }
        return seats;
    }
}
