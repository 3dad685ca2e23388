package io.askexpert.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.config.FusionMethod;
import io.askexpert.fusion.FusionRetriever.Source;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeightedScoreTest {

    private static final FusionEvidence.Weights DEFAULT = new FusionEvidence.Weights(0.40, 0.35, 0.25);
    private final WeightedScore fusion = new WeightedScore(0.03);

    private static RetrieverHit hit(String id, double score) {
        return new RetrieverHit(id, score);
    }

    private static RankFusion.Fused find(List<RankFusion.Fused> fused, String id) {
        return fused.stream().filter(f -> f.expertId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void each_term_is_on_its_own_scale_and_an_expert_the_vector_source_did_not_return_counts_as_its_last() {
        Map<Source, List<RetrieverHit>> whole = Map.of(
                Source.VECTOR, List.of(hit("a", 0.62), hit("b", 0.605), hit("c", 0.56)),
                Source.GRAPH, List.of(hit("b", 3.0), hit("d", 1.0)),
                Source.RELATIONAL, List.of(hit("c", 0.4), hit("a", 0.1)));
        var fused = fusion.rank(whole, whole, DEFAULT);
        Offset<Double> close = Offset.offset(1e-9);
        assertThat(find(fused, "a").fusedScore()).isCloseTo(0 + 0.25 * 0.25, close);
        assertThat(find(fused, "b").fusedScore()).isCloseTo(0.40 * -0.5 + 0.35 * 1, close);
        assertThat(find(fused, "c").fusedScore()).isCloseTo(0.40 * -2 + 0.25 * 1, close);
        assertThat(find(fused, "d").fusedScore()).as("d is on the vector list's floor").isCloseTo(0.40 * -2 + 0.35 / 2, close);
        assertThat(fused).extracting(RankFusion.Fused::expertId).containsExactly("b", "a", "c", "d");
        assertThat(find(fused, "b").ranks()).containsEntry("vector", 2).containsEntry("graph", 1);
        assertThat(fusion.method()).isEqualTo(FusionMethod.WEIGHTED_SCORE);
    }

    @ParameterizedTest(name = "the graph's first place and a cosine {0} behind the vector's best -> {1} first")
    @CsvSource({
            "0.010, graphs",  // a third of a margin: the graph's first choice wins
            "0.025, graphs",  // up to 0.35 / 0.40 of a margin (0.026) it still does
            "0.030, vectors", // a whole margin behind: the vector source's preference stands
            "0.100, vectors"})
    void a_graph_match_lifts_an_expert_the_vector_source_barely_ranks_lower_but_not_one_it_clearly_rejects(
            double behind, String first) {
        Map<Source, List<RetrieverHit>> whole = Map.of(
                Source.VECTOR, List.of(hit("vectors", 0.60), hit("graphs", 0.60 - behind)),
                Source.GRAPH, List.of(hit("graphs", 1.0)));
        assertThat(fusion.rank(whole, whole, DEFAULT).getFirst().expertId()).isEqualTo(first);
    }

    @Test
    void confidence_is_the_same_as_under_rrf_read_from_the_decisive_hits_and_the_vector_sources_whole_list() {
        Map<Source, List<RetrieverHit>> whole = Map.of(
                Source.VECTOR, List.of(hit("a", 0.6), hit("b", 0.3)),
                Source.RELATIONAL, List.of(hit("a", 1.0), hit("b", 0.2)));
        Map<Source, List<RetrieverHit>> decisive = Map.of(
                Source.VECTOR, List.of(hit("a", 0.6)),
                Source.RELATIONAL, List.of(hit("a", 1.0)));
        var fused = fusion.rank(decisive, whole, DEFAULT);
        var rrf = new WeightedRrf(60).rank(decisive, whole, DEFAULT);
        assertThat(find(fused, "a").confidence()).isEqualTo(find(rrf, "a").confidence()).isEqualTo(65);
        assertThat(find(fused, "b").confidence()).as("b: only the vector's whole list speaks for it").isEqualTo(20);
    }

    @Test
    void synergy_adds_a_share_of_the_whole_weight() {
        var candidate = new RankFusion.Fused("a", -0.3, 50, Map.of("vector", 2));
        assertThat(fusion.rescored(candidate, DEFAULT, 1.0)).isEqualTo(-0.3);
        assertThat(fusion.rescored(candidate, DEFAULT, 1.25)).isCloseTo(-0.05, Offset.offset(1e-9));
    }

    @Test
    void a_source_that_returned_nothing_adds_nothing_and_the_unit_must_be_positive() {
        Map<Source, List<RetrieverHit>> whole = Map.of(Source.VECTOR, List.of(), Source.GRAPH, List.of(hit("a", 1.0)));
        assertThat(fusion.rank(whole, whole, DEFAULT)).singleElement()
                .satisfies(f -> assertThat(f.fusedScore()).isCloseTo(0.35, Offset.offset(1e-9)));
        assertThatThrownBy(() -> new WeightedScore(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
