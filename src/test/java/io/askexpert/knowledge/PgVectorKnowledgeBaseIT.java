package io.askexpert.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.askexpert.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

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
        // In CI a missing extension is a broken setup, not a reason to skip the pgvector backend's tests.
        if ("true".equals(System.getenv("CI")) && !available()) {
            throw new IllegalStateException("pgvector is not installed on the test PostgreSQL although CI=true: "
                    + ".ci/run installs it with ../shared/tools/install-pgvector.sh");
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

    @Test
    void a_bulk_load_vacuums_and_analyses_the_knowledge_tables() {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        DocumentStore store = new DocumentStore(dataSource,
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), new Partitions(jdbc));
        store.enablePgvector();
        // A threshold of three chunks stands in for the 10,000 of a real bulk load.
        Ingestion ingestion = new Ingestion(Chunker.standard(), new TermAnalyzer(), embedder, store,
                PgVectorIndex.tryEnable(dataSource), 3);
        String analyses = "select coalesce(sum(least(analyze_count, vacuum_count)), 0) from pg_stat_user_tables"
                + " where relname = 'knowledge_postings'";

        ingestion.ingest("acme", List.of(doc("psur", "PSUR", PSUR, "pv", false)), outcome -> { });
        long before = jdbc.sql(analyses).query(Long.class).single();
        ingestion.ingest("acme", List.of(doc("biosim", "Biosimilars", BIOSIM, "cmc", false),
                doc("device", "Devices", DEVICE, "devices", false)), outcome -> { });

        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql(analyses).query(Long.class).single() > before);
    }
}
