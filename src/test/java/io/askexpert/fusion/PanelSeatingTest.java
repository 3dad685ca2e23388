package io.askexpert.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PanelSeatingTest {

    private static final FusionEvidence.Weights W = new FusionEvidence.Weights(0.40, 0.35, 0.25);
    private final WeightedRrf rrf = new WeightedRrf(60);
    private final PanelSeating seating = new PanelSeating(0, new SynergyBoost(0.5, 1.25));

    /** Every candidate covers a concept of its own, so coverage never keeps one out. */
    private static List<String> own(String id) {
        return List.of("concept of " + id);
    }

    private List<String> team(PanelSeating panel, List<RankFusion.Fused> ranked, int seats, SynergyBoost.Synergy pairs,
                              java.util.function.Function<String, List<String>> covers) {
        return panel.seat(ranked, seats, pairs, (f, boost) -> rrf.rescored(f, W, boost), covers).stream()
                .map(seat -> seat.member().expertId()).toList();
    }

    /** "lead" first everywhere, then "c1", "c2", … in the same order in every source. */
    private List<RankFusion.Fused> ranked(int candidates) {
        List<RetrieverHit> hits = new java.util.ArrayList<>(List.of(new RetrieverHit("lead", 1)));
        for (int i = 1; i <= candidates; i++) {
            hits.add(new RetrieverHit("c" + i, 1.0 / (i + 1)));
        }
        return rrf.fuse(Map.of(FusionRetriever.Source.VECTOR, hits, FusionRetriever.Source.GRAPH, hits,
                FusionRetriever.Source.RELATIONAL, hits), W);
    }

    /**
     * Six seats; without synergy they go to ranks 1–6. A candidate that collaborates with everyone
     * (boost 1.25, ranks ÷ 1.25) takes the last seat from rank 7 (7 / 1.25 = 5.6 beats 6), not from
     * rank 8 (6.4) and not from far down the list, where multiplying its fused score by 1.25 would
     * have seated it.
     */
    @ParameterizedTest(name = "a collaborator of everyone at rank {0} is seated: {1}")
    @CsvSource({"7, true", "8, false", "12, false", "20, false"})
    void a_collaborator_overtakes_close_candidates_only(int rank, boolean seated) {
        String collaborator = "c" + (rank - 1);
        SynergyBoost.Synergy pairs = (a, b) -> a.equals(collaborator) || b.equals(collaborator) ? 1.0 : 0.0;
        List<RankFusion.Fused> ranked = ranked(25);
        List<String> team = team(seating, ranked, 6, pairs, PanelSeatingTest::own);
        assertThat(team).startsWith("lead", "c1", "c2", "c3", "c4");
        assertThat(team.getLast()).isEqualTo(seated ? collaborator : "c5");
        assertThat(ranked.get(rank - 1).fusedScore() * 1.25).as("a multiplied fused score would have seated it")
                .isGreaterThan(ranked.get(5).fusedScore());
    }

    @ParameterizedTest(name = "without synergy the order is the fused order ({0} seats)")
    @CsvSource({"1", "3", "5"})
    void no_synergy_keeps_the_fused_order(int seats) {
        List<RankFusion.Fused> ranked = ranked(10);
        assertThat(team(seating, ranked, seats, (a, b) -> 0.0, PanelSeatingTest::own))
                .containsExactlyElementsOf(ranked.subList(0, seats).stream().map(RankFusion.Fused::expertId).toList());
    }

    @org.junit.jupiter.api.Test
    void a_candidate_that_covers_nothing_new_is_not_seated() {
        List<RankFusion.Fused> ranked = ranked(5);
        java.util.function.Function<String, List<String>> covers = id -> switch (id) {
            case "lead" -> List.of("signal detection", "periodic reports");
            case "c1" -> List.of("signal detection");
            case "c2" -> List.of("periodic reports", "risk management plans");
            default -> List.of();
        };
        var seats = seating.seat(ranked, 3, (a, b) -> 0.0, (f, boost) -> rrf.rescored(f, W, boost), covers);
        assertThat(seats).extracting(s -> s.member().expertId()).containsExactly("lead", "c2");
        assertThat(seats.get(1).adds()).containsExactly("risk management plans");
    }

    @org.junit.jupiter.api.Test
    void a_candidate_below_the_panel_bar_is_not_seated() {
        List<RankFusion.Fused> ranked = ranked(3);
        int c1 = ranked.get(1).confidence();
        var strict = new PanelSeating(c1 + 1, new SynergyBoost(0.5, 1.25));
        assertThat(team(strict, ranked, 3, (a, b) -> 0.0, PanelSeatingTest::own)).containsExactly("lead");
        assertThat(team(new PanelSeating(c1, new SynergyBoost(0.5, 1.25)), ranked, 2, (a, b) -> 0.0,
                PanelSeatingTest::own)).containsExactly("lead", "c1");
    }
}
