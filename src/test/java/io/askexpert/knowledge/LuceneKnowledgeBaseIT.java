package io.askexpert.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.auth.TenantContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The knowledge base on the local Lucene index, vectors and keywords (the embedded default's path). */
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

    @Test
    void lucene_keyword_scores_match_the_sql_bm25() {
        kb.ingest(TenantContext.operator("acme", "alice"), List.of(doc("psur", "PSUR basics", PSUR, "pv", false),
                doc("biosim", "Biosimilars", BIOSIM, "cmc", false),
                doc("mdr", "EU MDR", DEVICE, "devices", false), doc("mix", "Clinical data for products",
                        "Clinical data support a marketed medicine and a reference product alike.", "pv", true)), o -> { });
        Partitions partitions = new Partitions(org.springframework.jdbc.core.simple.JdbcClient.create(dataSource));
        try (TermAnalyzer analyzer = new TermAnalyzer()) {
            KeywordSearch sql = new KeywordSearch(dataSource, partitions, analyzer, null);
            for (String q : List.of("clinical data", "reference product medicine", "notified body clinical evaluation")) {
                List<ScoredChunk> expected = sql.search(q, partitions.visible("acme", List.of(), null), 10);
                List<SearchResult> actual = kb.search(ACME, new SearchRequest(q, 10, List.of(), null, SearchStrategy.KEYWORD))
                        .results();
                assertThat(actual).extracting(r -> Long.parseLong(r.chunkId()))
                        .containsExactlyElementsOf(expected.stream().map(ScoredChunk::chunkId).toList());
                for (int i = 0; i < expected.size(); i++) {
                    // Lucene stores lengths in one byte: scores agree within a few percent, not exactly.
                    assertThat(actual.get(i).score()).isCloseTo(expected.get(i).score(), org.assertj.core.data.Percentage.withPercentage(5));
                }
            }
        }
    }

    @Test
    void an_index_of_the_older_layout_is_rebuilt_with_the_text() throws Exception {
        kb.ingest(ACME, List.of(doc("psur", "PSUR basics", PSUR, "pv", false)), o -> { });
        kb.close();
        Path old = dataDir.resolve("old-index");
        try (var writer = new org.apache.lucene.index.IndexWriter(org.apache.lucene.store.FSDirectory.open(old),
                new org.apache.lucene.index.IndexWriterConfig())) {
            var d = new org.apache.lucene.document.Document();
            d.add(new org.apache.lucene.document.StoredField("chunk", 1L));
            writer.addDocument(d);
            writer.commit();
        }
        kb = KnowledgeBase.open(dataSource, new TextEmbedder(), store(), old);
        assertThat(kb.search(ACME, new SearchRequest("periodic safety update", 5, List.of(), null, SearchStrategy.KEYWORD))
                .results()).extracting(SearchResult::title).containsExactly("PSUR basics");
    }
}
