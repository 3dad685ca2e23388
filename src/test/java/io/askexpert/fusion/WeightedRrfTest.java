package io.askexpert.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.fusion.FusionRetriever.Source;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeightedRrfTest {

    private static final FusionEvidence.Weights DEFAULT = new FusionEvidence.Weights(0.40, 0.35, 0.25);
    private final WeightedRrf rrf = new WeightedRrf(60);

    private static List<RetrieverHit> hits(String... ids) {
        return java.util.stream.IntStream.range(0, ids.length)
                .mapToObj(i -> new RetrieverHit(ids[i], 1.0 - i * 0.1)).toList();
    }

    @Test
    void fused_score_is_the_weighted_sum_of_reciprocal_ranks() {
        var fused = rrf.fuse(Map.of(Source.VECTOR, hits("a", "b"), Source.GRAPH, hits("b"), Source.RELATIONAL, hits("a")),
                DEFAULT);
        var a = fused.stream().filter(f -> f.expertId().equals("a")).findFirst().orElseThrow();
        var b = fused.stream().filter(f -> f.expertId().equals("b")).findFirst().orElseThrow();
        assertThat(a.fusedScore()).isCloseTo(0.40 / 61 + 0.25 / 61, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(b.fusedScore()).isCloseTo(0.40 / 62 + 0.35 / 61, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(fused).extracting(RankFusion.Fused::expertId).containsExactly("b", "a");
        assertThat(b.ranks()).containsEntry("vector", 2).containsEntry("graph", 1);
    }

    @ParameterizedTest(name = "vector {0}, graph {1}, relational {2} -> {3} first")
    @CsvSource({
            "1.0, 0.0, 0.0, vec",
            "0.0, 1.0, 0.0, gra",
            "0.0, 0.0, 1.0, rel",
            "0.6, 0.2, 0.2, vec",
            "0.2, 0.6, 0.2, gra"})
    void weights_change_the_ranking(double v, double g, double r, String expectedFirst) {
        var answered = Map.of(Source.VECTOR, hits("vec", "gra", "rel"), Source.GRAPH, hits("gra", "rel", "vec"),
                Source.RELATIONAL, hits("rel", "vec", "gra"));
        var fused = rrf.fuse(answered, new FusionEvidence.Weights(v, g, r));
        assertThat(fused.getFirst().expertId()).isEqualTo(expectedFirst);
    }

    @Test
    void confidence_is_100_only_when_every_source_puts_the_expert_first() {
        var all = rrf.fuse(Map.of(Source.VECTOR, hits("a"), Source.GRAPH, hits("a"), Source.RELATIONAL, hits("a")), DEFAULT);
        assertThat(all.getFirst().confidence()).isEqualTo(100);
        var vectorOnly = rrf.fuse(Map.of(Source.VECTOR, hits("a")), DEFAULT);
        assertThat(vectorOnly.getFirst().confidence()).isEqualTo(40);
    }

    @Test
    void a_source_that_did_not_answer_lowers_confidence() {
        var three = rrf.fuse(Map.of(Source.VECTOR, hits("a"), Source.GRAPH, hits("a"), Source.RELATIONAL, hits("a")), DEFAULT);
        var two = rrf.fuse(Map.of(Source.VECTOR, hits("a"), Source.RELATIONAL, hits("a")), DEFAULT);
        assertThat(two.getFirst().confidence()).isLessThan(three.getFirst().confidence()).isEqualTo(65);
    }

    @Test
    void duplicates_within_one_source_count_once_at_their_best_rank() {
        var fused = rrf.fuse(Map.of(Source.VECTOR, List.of(new RetrieverHit("a", 1), new RetrieverHit("a", 0.5),
                new RetrieverHit("b", 0.4))), DEFAULT);
        assertThat(fused).hasSize(2);
        assertThat(fused.get(1).ranks()).containsEntry("vector", 2);
    }

    @Test
    void only_the_ranked_hits_are_fused_and_their_confidence_reads_the_longer_lists() {
        var ranked = Map.of(Source.VECTOR, hits("a"), Source.GRAPH, hits("b"));
        var weighed = Map.of(Source.VECTOR, hits("a", "b", "c"), Source.GRAPH, hits("b"));
        var fused = rrf.fuse(ranked, weighed, DEFAULT);
        assertThat(fused).extracting(RankFusion.Fused::expertId).as("c is in no ranked list").containsExactlyInAnyOrder("a", "b");
        var b = fused.stream().filter(f -> f.expertId().equals("b")).findFirst().orElseThrow();
        assertThat(b.ranks()).containsOnlyKeys("graph");
        assertThat(b.confidence()).as("graph 0.35 + vector 0.40 x 0.9").isEqualTo(71);
    }
}
