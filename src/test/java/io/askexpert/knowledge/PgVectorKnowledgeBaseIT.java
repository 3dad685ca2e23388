package io.askexpert.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.TestPostgres;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The knowledge base with vectors in pgvector's HNSW index. Needs the extension on the test
 * server ({@code ../shared/tools/install-pgvector.sh}, which {@code .ci/run} runs); skipped with
 * that message otherwise.
 */
class PgVectorKnowledgeBaseIT extends KnowledgeBaseContract {

    @Override
    KnowledgeBase.VectorStore store() {
        return KnowledgeBase.VectorStore.PGVECTOR;
    }

    @Override
    void prepare(TestPostgres database) {
        boolean available = JdbcClient.create(dataSource)
                .sql("select count(*) from pg_available_extensions where name = 'vector'").query(Long.class).single() > 0;
        Assumptions.assumeTrue(available,
                "pgvector is not installed on the test PostgreSQL: run ../shared/tools/install-pgvector.sh (.ci/run does)");
    }

    @Test
    void uses_pgvector_with_an_hnsw_index() {
        assertThat(kb.vectorStore()).isEqualTo("pgvector");
        assertThat(JdbcClient.create(dataSource)
                .sql("select count(*) from pg_indexes where indexname = 'knowledge_chunks_embedding_hnsw'")
                .query(Long.class).single()).isEqualTo(1);
    }
}
