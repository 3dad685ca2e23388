package io.askexpert.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class RetrievalTest {

    private static final List<ScoredChunk> KEYWORD = List.of(new ScoredChunk(1, 9), new ScoredChunk(2, 8), new ScoredChunk(3, 7));
    private static final List<ScoredChunk> VECTOR = List.of(new ScoredChunk(3, 0.9), new ScoredChunk(4, 0.8), new ScoredChunk(2, 0.7));

    @Test
    void rrf_rewards_agreement_between_the_lists() {
        List<ScoredChunk> fused = HybridFusion.RRF.fuse(KEYWORD, VECTOR, 4);
        // 3: 1/63 + 1/61; 2: 1/62 + 1/63; 1: 1/61; 4: 1/62
        assertThat(fused).extracting(ScoredChunk::chunkId).containsExactly(3L, 2L, 1L, 4L);
        assertThat(fused.getFirst().score()).isEqualTo(1.0 / 63 + 1.0 / 61, Offset.offset(1e-12));
        assertThat(HybridFusion.RRF.fuse(KEYWORD, VECTOR, 2)).hasSize(2);
    }

    @Test
    void score_fusion_adds_the_max_normalised_scores_with_equal_weights() {
        List<ScoredChunk> vector = List.of(new ScoredChunk(3, 0.9), new ScoredChunk(4, 0.6), new ScoredChunk(2, 0.3));
        List<ScoredChunk> fused = HybridFusion.SCORE.fuse(KEYWORD, vector, 4);
        // keyword /9: 1 → 1, 2 → 8/9, 3 → 7/9; vector /0.9: 3 → 1, 4 → 2/3, 2 → 1/3.
        // A chunk missing from a list takes that list's lowest: 1 gets 1/3 there, 4 gets 7/9.
        assertThat(fused).extracting(ScoredChunk::chunkId).containsExactly(3L, 4L, 1L, 2L);
        assertThat(fused.get(0).score()).isEqualTo(0.5 * 7 / 9.0 + 0.5, Offset.offset(1e-12));
        assertThat(fused.get(1).score()).isEqualTo(0.5 * 7 / 9.0 + 0.5 * 2 / 3.0, Offset.offset(1e-12));
        assertThat(fused.get(2).score()).isEqualTo(0.5 + 0.5 / 3.0, Offset.offset(1e-12));
        assertThat(HybridFusion.SCORE.fuse(KEYWORD, vector, 2)).hasSize(2);
    }

    @Test
    void a_strong_match_in_one_list_outranks_a_weak_one_in_both() {
        // What RRF cannot see: chunk 7 is barely a keyword match at rank 1, chunk 8 a near-perfect vector match.
        List<ScoredChunk> keyword = List.of(new ScoredChunk(7, 1.0), new ScoredChunk(8, 0.9));
        List<ScoredChunk> vector = List.of(new ScoredChunk(8, 0.8), new ScoredChunk(7, 0.1));
        assertThat(HybridFusion.SCORE.fuse(keyword, vector, 2)).extracting(ScoredChunk::chunkId).containsExactly(8L, 7L);
    }

    @Test
    void score_fusion_handles_empty_lists_and_negative_cosines() {
        assertThat(HybridFusion.SCORE.fuse(List.of(), List.of(), 5)).isEmpty();
        List<ScoredChunk> onlyVectors = HybridFusion.SCORE.fuse(List.of(),
                List.of(new ScoredChunk(1, 0.5), new ScoredChunk(2, -0.3)), 5);
        assertThat(onlyVectors).extracting(ScoredChunk::chunkId).containsExactly(1L, 2L);
        assertThat(onlyVectors.get(0).score()).isEqualTo(0.5);
        assertThat(onlyVectors.get(1).score()).isZero();
    }

    @Test
    void fusion_names_parse() {
        assertThat(HybridFusion.parse(" RRF ")).isEqualTo(HybridFusion.RRF);
        assertThat(HybridFusion.parse("score")).isEqualTo(HybridFusion.SCORE);
        assertThatThrownBy(() -> HybridFusion.parse("borda")).hasMessageContaining("KNOWLEDGE_FUSION");
    }

    @Test
    void excerpt_cuts_at_a_sentence_end() {
        String text = "First sentence is here. ".repeat(30);
        String excerpt = Retrieval.excerpt(text);
        assertThat(excerpt.length()).isLessThanOrEqualTo(320);
        assertThat(excerpt).endsWith("here.");
        assertThat(Retrieval.excerpt("Short.")).isEqualTo("Short.");
    }

    @Test
    void confidence_stays_between_zero_and_one() {
        assertThat(Retrieval.confidence(SearchStrategy.HYBRID, HybridFusion.RRF, 2.0 / 61)).isEqualTo(1.0);
        assertThat(Retrieval.confidence(SearchStrategy.HYBRID, HybridFusion.SCORE, 0.75)).isEqualTo(0.75);
        assertThat(Retrieval.confidence(SearchStrategy.VECTOR, HybridFusion.SCORE, -0.2)).isZero();
        assertThat(Retrieval.confidence(SearchStrategy.KEYWORD, HybridFusion.SCORE, 10)).isEqualTo(0.5);
    }
}
