package io.askexpert.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SynergyBoostTest {

    private static final FusionEvidence.Weights W = new FusionEvidence.Weights(0.40, 0.35, 0.25);
    private final WeightedRrf rrf = new WeightedRrf(60);
    private final SynergyBoost synergy = new SynergyBoost(0.5, 1.25);

    /** "lead" first everywhere, then "c1", "c2", … in the same order in every source. */
    private List<WeightedRrf.Fused> ranked(int candidates) {
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
        List<WeightedRrf.Fused> ranked = ranked(25);
        List<WeightedRrf.Fused> team = synergy.assemble(ranked, 6, pairs, (f, boost) -> rrf.rescored(f, W, boost));
        assertThat(team).extracting(WeightedRrf.Fused::expertId).startsWith("lead", "c1", "c2", "c3", "c4");
        assertThat(team.getLast().expertId()).isEqualTo(seated ? collaborator : "c5");
        assertThat(ranked.get(rank - 1).fusedScore() * 1.25).as("a multiplied fused score would have seated it")
                .isGreaterThan(ranked.get(5).fusedScore());
    }

    @ParameterizedTest(name = "without synergy the order is the fused order ({0} seats)")
    @CsvSource({"1", "3", "5"})
    void no_synergy_keeps_the_fused_order(int seats) {
        List<WeightedRrf.Fused> ranked = ranked(10);
        assertThat(synergy.assemble(ranked, seats, (a, b) -> 0.0, (f, boost) -> rrf.rescored(f, W, boost)))
                .containsExactlyElementsOf(ranked.subList(0, seats));
    }
}
