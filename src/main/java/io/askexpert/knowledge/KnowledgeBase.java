package io.askexpert.knowledge;

import io.askexpert.auth.TenantContext;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.observability.ComponentHealth;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The knowledge base: ingestion, hybrid retrieval with what citations need, deletion. Tenants see
 * their own documents and the public ones, never another tenant's private ones; writes need the
 * admin role. Vector search runs on pgvector when the database has it, keyword search then in SQL;
 * otherwise both run on a local Lucene index under the data directory.
 */
public final class KnowledgeBase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KnowledgeBase.class);

    /** Which vector index to use: the database's when it can, or one forced. */
    public enum VectorStore { AUTO, PGVECTOR, LUCENE }

    private final DocumentStore store;
    private final Ingestion ingestion;
    private final Retrieval retrieval;
    private final VectorIndex vectors;
    private final JobStore jobs;
    private final JdbcClient jdbc;
    private final TermAnalyzer analyzer;
    private final HybridFusion fusion;
    private final ExecutorService jobRunner = Executors.newVirtualThreadPerTaskExecutor();
    private final @Nullable String instanceId;

    private KnowledgeBase(DocumentStore store, Ingestion ingestion, Retrieval retrieval, VectorIndex vectors,
                          JobStore jobs, JdbcClient jdbc, TermAnalyzer analyzer, HybridFusion fusion,
                          @Nullable String instanceId) {
        this.instanceId = instanceId;
        this.store = store;
        this.ingestion = ingestion;
        this.retrieval = retrieval;
        this.vectors = vectors;
        this.jobs = jobs;
        this.jdbc = jdbc;
        this.analyzer = analyzer;
        this.fusion = fusion;
    }

    /**
     * Opens the knowledge base over a migrated database. {@code indexDirectory} holds the local
     * vector index when pgvector is not used.
     */
    public static KnowledgeBase open(DataSource dataSource, TextEmbedder embedder, VectorStore choice, Path indexDirectory) {
        return open(dataSource, embedder, choice, indexDirectory, HybridFusion.RRF);
    }

    /** As {@link #open(DataSource, TextEmbedder, VectorStore, Path)}, with the hybrid strategy's fusion chosen. */
    public static KnowledgeBase open(DataSource dataSource, TextEmbedder embedder, VectorStore choice, Path indexDirectory,
                                     HybridFusion fusion) {
        return open(dataSource, embedder, choice, indexDirectory, fusion, null);
    }

    /**
     * As above, for a service instance: its ingestion jobs record {@code instanceId}, so that if
     * it dies another instance fails them with that reason instead of leaving them running.
     */
    public static KnowledgeBase open(DataSource dataSource, TextEmbedder embedder, VectorStore choice, Path indexDirectory,
                                     HybridFusion fusion, @Nullable String instanceId) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        Partitions partitions = new Partitions(jdbc);
        DocumentStore store = new DocumentStore(dataSource, tx, partitions);
        long reembedded = new EmbeddingRefresh(dataSource, embedder).run();
        VectorIndex vectors = null;
        if (choice != VectorStore.LUCENE) {
            vectors = PgVectorIndex.tryEnable(dataSource);
            if (vectors == null && choice == VectorStore.PGVECTOR) {
                throw new IllegalStateException("KNOWLEDGE_VECTOR_STORE=pgvector but the database has no usable pgvector extension");
            }
        }
        if (vectors != null) {
            store.enablePgvector();
        } else {
            vectors = LuceneLocalIndex.open(indexDirectory, dataSource, reembedded > 0);
        }
        log.info("Knowledge base vector search on {}, hybrid fusion by {}", vectors.name(), fusion.wireName());
        TermAnalyzer analyzer = new TermAnalyzer();
        Ingestion ingestion = new Ingestion(Chunker.standard(), analyzer, embedder, store, vectors);
        KeywordSearch keyword = new KeywordSearch(dataSource, partitions, analyzer,
                vectors instanceof LuceneLocalIndex local ? local : null);
        Retrieval retrieval = new Retrieval(partitions, keyword, vectors,
                embedder, jdbc, fusion);
        return new KnowledgeBase(store, ingestion, retrieval, vectors, new JobStore(jdbc), jdbc, analyzer, fusion,
                instanceId);
    }

    /** {@code pgvector} or {@code lucene}. */
    public String vectorStore() {
        return vectors.name();
    }

    /** The vector index's health ({@code vector_index} in {@code /health/detailed}). */
    public ComponentHealth vectorIndexHealth() {
        return vectors.health();
    }

    /** How the hybrid strategy fuses its two lists. */
    public HybridFusion fusion() {
        return fusion;
    }

    public SearchResponse search(TenantContext caller, SearchRequest request) {
        return search(caller.tenantId(), request);
    }

    public SearchResponse search(String tenantId, SearchRequest request) {
        return retrieval.search(tenantId, request);
    }

    /** The search with a query vector computed elsewhere (benchmarks, callers that embed once). */
    public SearchResponse search(String tenantId, SearchRequest request, float[] queryVector) {
        return retrieval.search(tenantId, request, queryVector, 0);
    }

    /** Ingests now, on the calling thread; each document in its own transaction. */
    public IngestReport ingest(TenantContext caller, List<DocumentInput> documents, Consumer<IngestOutcome> progress) {
        requireAdmin(caller);
        requirePublisher(caller, documents);
        return ingestion.ingest(caller.tenantId(), documents, progress);
    }

    /**
     * Ingests with chunk vectors looked up in {@code vectors} (by {@link IndexedText#chunks} text)
     * instead of computed by the model: the latency benchmark's corpus.
     */
    public IngestReport ingestPrepared(String tenantId, List<DocumentInput> documents,
                                       java.util.function.Function<String, float[]> vectors,
                                       Consumer<IngestOutcome> progress) {
        return ingestion.ingest(tenantId, documents, texts -> texts.stream().map(vectors).toList(), progress);
    }

    /** Ingests in the background; progress is readable with {@link #job}. */
    public String submit(TenantContext caller, List<DocumentInput> documents) {
        requireAdmin(caller);
        requirePublisher(caller, documents);
        UUID id = jobs.create(caller.tenantId(), documents.size(), instanceId);
        List<DocumentInput> copy = List.copyOf(documents);
        jobRunner.submit(() -> {
            try {
                jobs.status(id, "running");
                ingestion.ingest(caller.tenantId(), copy, outcome -> jobs.record(id, outcome));
                jobs.status(id, "completed");
            } catch (RuntimeException e) {
                log.warn("Ingestion job {} failed: {}", id, e.getClass().getSimpleName());
                try {
                    jobs.fail(id, "the job stopped on an internal error; documents not yet counted were not ingested");
                } catch (RuntimeException again) {
                    // The database is gone too: the job stays running until OrphanedJobs sees this instance dead.
                    log.warn("Ingestion job {} could not be marked failed: {}", id, again.getClass().getSimpleName());
                }
            }
        });
        return id.toString();
    }

    public IngestJob job(TenantContext caller, String jobId) {
        UUID id = parseId(jobId, "job_id");
        return (id == null ? Optional.<IngestJob>empty() : jobs.find(caller.tenantId(), id))
                .orElseThrow(() -> AskExpertException.notFound(ErrorCode.JOB_NOT_FOUND, "job", jobId));
    }

    /** Removes a document, its chunks, postings and vectors; another tenant's id is not found. */
    public void delete(TenantContext caller, String documentId) {
        requireAdmin(caller);
        UUID id = parseId(documentId, "document_id");
        if (id == null || !store.delete(caller.tenantId(), id)) {
            throw AskExpertException.notFound(ErrorCode.DOCUMENT_NOT_FOUND, "document", documentId);
        }
        vectors.documentRemoved(id);
        vectors.commit();
    }

    /** Removes every document of one of the tenant's namespaces; returns how many. */
    public int deleteNamespace(TenantContext caller, String namespace) {
        requireAdmin(caller);
        int n = 0;
        for (UUID id : store.documentIds(caller.tenantId(), namespace)) {
            if (store.delete(caller.tenantId(), id)) {
                vectors.documentRemoved(id);
                n++;
            }
        }
        vectors.commit();
        return n;
    }

    /** The tenant's own documents, newest first, optionally in one namespace. */
    public List<DocumentSummary> documents(TenantContext caller, @Nullable String namespace, int limit, int offset) {
        return jdbc.sql("select " + SUMMARY_COLUMNS + """
                 from knowledge_documents where tenant_id = ? and (cast(? as text) is null or namespace = ?)
                order by created_at desc, id limit ? offset ?""")
                .params(caller.tenantId(), namespace, namespace, limit, offset)
                .query(KnowledgeBase::summary)
                .list();
    }

    /**
     * One document with its passages, as the caller may read it: its tenant's own or a public one;
     * another tenant's private document is not found.
     */
    public DocumentText document(TenantContext caller, String documentId) {
        UUID id = parseId(documentId, "document_id");
        DocumentSummary summary = id == null ? null : jdbc.sql(
                        "select " + SUMMARY_COLUMNS + " from knowledge_documents where id = ? and (tenant_id = ? or is_public)")
                .params(id, caller.tenantId())
                .query(KnowledgeBase::summary)
                .optional().orElse(null);
        if (summary == null) {
            throw AskExpertException.notFound(ErrorCode.DOCUMENT_NOT_FOUND, "document", documentId);
        }
        List<DocumentText.Passage> passages = jdbc.sql(
                        "select id, ordinal, heading, content from knowledge_chunks where document_id = ? order by ordinal")
                .param(id)
                .query((rs, i) -> new DocumentText.Passage(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4)))
                .list();
        return new DocumentText(summary, passages);
    }

    /** How many documents (and chunks) a tenant owns; the starter loader uses it to stay idempotent. */
    public Map<String, Long> counts(String tenantId) {
        return jdbc.sql("""
                select count(distinct d.id) as documents, count(c.id) as chunks
                from knowledge_documents d left join knowledge_chunks c on c.document_id = d.id where d.tenant_id = ?""")
                .param(tenantId)
                .query((rs, i) -> Map.of("documents", rs.getLong(1), "chunks", rs.getLong(2))).single();
    }

    /** The columns {@link #summary} reads, in its order. */
    private static final String SUMMARY_COLUMNS =
            "id, external_id, title, url, namespace, domain, is_public, origin, chunk_count, created_at, updated_at";

    private static DocumentSummary summary(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new DocumentSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getBoolean(7), rs.getString(8), rs.getInt(9), rs.getTimestamp(10).toInstant(),
                rs.getTimestamp(11).toInstant());
    }

    /** api.md §1: content every tenant sees is written only by a platform-level role. */
    private static void requirePublisher(TenantContext caller, List<DocumentInput> documents) {
        if (!caller.platformAdmin() && documents.stream().anyMatch(DocumentInput::isPublic)) {
            throw new AskExpertException(ErrorCode.FORBIDDEN, "publishing a document to every tenant (visibility public) "
                    + "needs the platform_admin role", Map.of("field", "visibility", "required_role", "platform_admin"));
        }
    }

    private static void requireAdmin(TenantContext caller) {
        if (!caller.admin()) {
            throw new AskExpertException(ErrorCode.FORBIDDEN, "writing the knowledge base needs the admin role");
        }
    }

    private static @Nullable UUID parseId(String value, String field) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void close() {
        jobRunner.shutdownNow();
        retrieval.close();
        vectors.close();
        analyzer.close();
    }
}
