package io.askexpert.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The knowledge base with vectors in the local Lucene index (the embedded default's path). */
class LuceneKnowledgeBaseIT extends KnowledgeBaseContract {

    @Override
    KnowledgeBase.VectorStore store() {
        return KnowledgeBase.VectorStore.LUCENE;
    }

    @Test
    void uses_the_local_index() {
        assertThat(kb.vectorStore()).isEqualTo("lucene");
    }

    @Test
    void a_lost_index_is_rebuilt_from_the_stored_embeddings() {
        kb.ingest(ACME, List.of(doc("psur", "PSUR basics", PSUR, "pv", false), doc("mdr", "EU MDR", DEVICE, "devices", false)),
                o -> { });
        kb.close();
        kb = KnowledgeBase.open(dataSource, new TextEmbedder(), store(), dataDir.resolve("another-index"));
        var hits = kb.search(ACME, new SearchRequest("notified body assessment", 5, List.of(), null, SearchStrategy.VECTOR));
        assertThat(hits.results()).extracting(SearchResult::title).first().isEqualTo("EU MDR");
        assertThat(hits.results()).hasSize(2);
    }
}
