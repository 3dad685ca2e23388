package io.askexpert.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RetrievalTest {

    @Test
    void rrf_rewards_agreement_between_the_lists() {
        List<ScoredChunk> keyword = List.of(new ScoredChunk(1, 9), new ScoredChunk(2, 8), new ScoredChunk(3, 7));
        List<ScoredChunk> vector = List.of(new ScoredChunk(3, 0.9), new ScoredChunk(4, 0.8), new ScoredChunk(2, 0.7));
        List<ScoredChunk> fused = Retrieval.fuse(List.of(keyword, vector), 4);
        // 3: 1/63 + 1/61; 2: 1/62 + 1/63; 1: 1/61; 4: 1/62
        assertThat(fused).extracting(ScoredChunk::chunkId).containsExactly(3L, 2L, 1L, 4L);
        assertThat(fused.getFirst().score()).isEqualTo(1.0 / 63 + 1.0 / 61, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Retrieval.fuse(List.of(keyword, vector), 2)).hasSize(2);
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
        assertThat(Retrieval.confidence(SearchStrategy.HYBRID, 2.0 / 61)).isEqualTo(1.0);
        assertThat(Retrieval.confidence(SearchStrategy.VECTOR, -0.2)).isZero();
        assertThat(Retrieval.confidence(SearchStrategy.KEYWORD, 10)).isEqualTo(0.5);
    }
}
