package io.askexpert.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The knowledge base with vectors in pgvector's HNSW index. When the test server lacks the
 * extension, {@code ../shared/tools/install-pgvector.sh} (idempotent, about 15 s; {@code .ci/run}
 * runs it too) is run first; skipped with that message when it still is not there.
 */
class PgVectorKnowledgeBaseIT extends KnowledgeBaseContract {

    private static final Path INSTALLER = Path.of("..", "shared", "tools", "install-pgvector.sh");

    @Override
    KnowledgeBase.VectorStore store() {
        return KnowledgeBase.VectorStore.PGVECTOR;
    }

    @Override
    void prepare(TestPostgres database) {
        if (!available() && TestPostgres.isLocalServer() && Files.isRegularFile(INSTALLER)) {
            install();
        }
        Assumptions.assumeTrue(available(),
                "pgvector is not installed on the test PostgreSQL: run ../shared/tools/install-pgvector.sh (.ci/run does)");
    }

    private boolean available() {
        return JdbcClient.create(dataSource)
                .sql("select count(*) from pg_available_extensions where name = 'vector'").query(Long.class).single() > 0;
    }

    private static synchronized void install() {
        try {
            Process p = new ProcessBuilder("bash", INSTALLER.toString()).inheritIO().start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
        } catch (java.io.IOException e) {
            // reported by the assumption that follows
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void uses_pgvector_with_an_hnsw_index() {
        assertThat(kb.vectorStore()).isEqualTo("pgvector");
        assertThat(JdbcClient.create(dataSource)
                .sql("select count(*) from pg_indexes where indexname = 'knowledge_chunks_embedding_hnsw'")
                .query(Long.class).single()).isEqualTo(1);
    }
}
