package io.askexpert.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.auth.TenantContext;
import io.askexpert.database.Migrations;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.testsupport.TestPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The knowledge base's behaviour, run once per vector index (pgvector and the local Lucene index). */
abstract class KnowledgeBaseContract {

    static final TenantContext ACME = new TenantContext("acme", "alice", true);
    static final TenantContext GLOBEX = new TenantContext("globex", "bob", true);

    static TextEmbedder embedder;

    TestPostgres db;
    HikariDataSource dataSource;
    KnowledgeBase kb;
    @TempDir
    Path dataDir;

    abstract KnowledgeBase.VectorStore store();

    /** Hook for a subclass to prepare the fresh database (or skip) before the knowledge base opens. */
    void prepare(TestPostgres database) {
    }

    @BeforeAll
    static void loadModel() {
        embedder = new TextEmbedder();
    }

    @AfterAll
    static void closeModel() {
        embedder.close();
    }

    @BeforeEach
    void open() {
        db = TestPostgres.create();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(db.jdbcUrl());
        dataSource.setMaximumPoolSize(6);
        new Migrations(dataSource).upgrade(null);
        prepare(db);
        kb = KnowledgeBase.open(dataSource, embedder, store(), dataDir.resolve("index"));
    }

    @AfterEach
    void close() {
        if (kb != null) {
            kb.close();
        }
        dataSource.close();
        db.close();
    }

    static DocumentInput doc(String key, String title, String content, String namespace, boolean isPublic) {
        return new DocumentInput(key, title, content, "https://example.org/" + key, namespace, null, Map.of(), isPublic, "test");
    }

    static final String PSUR = "Periodic safety update reports summarise the benefit-risk balance of a marketed medicine. "
            + "Marketing authorisation holders submit them to the regulator at defined intervals.";
    static final String BIOSIM = "A biosimilar is a biological medicine highly similar to an approved reference product. "
            + "Comparability exercises cover quality, non-clinical and clinical data.";
    static final String DEVICE = "Class III medical devices in the European Union need a notified body assessment. "
            + "Clinical evaluation reports document the clinical evidence under the MDR.";

    private List<String> titles(TenantContext who, String query, SearchStrategy strategy) {
        return kb.search(who, new SearchRequest(query, 10, List.of(), null, strategy)).results().stream()
                .map(SearchResult::title).toList();
    }

    @ParameterizedTest
    @EnumSource(SearchStrategy.class)
    void finds_the_relevant_document_with_what_a_citation_needs(SearchStrategy strategy) {
        IngestReport report = kb.ingest(ACME, List.of(doc("psur", "PSUR basics", PSUR, "pv", false),
                doc("biosim", "Biosimilars", BIOSIM, "cmc", false), doc("mdr", "EU MDR", DEVICE, "devices", false)), o -> { });
        assertThat(report.failed()).isZero();

        SearchResponse response = kb.search(ACME, new SearchRequest("periodic safety update report benefit risk", 3,
                List.of(), null, strategy));
        SearchResult top = response.results().getFirst();
        assertThat(top.title()).isEqualTo("PSUR basics");
        assertThat(top.externalId()).isEqualTo("psur");
        assertThat(top.url()).isEqualTo("https://example.org/psur");
        assertThat(top.namespace()).isEqualTo("pv");
        assertThat(top.excerpt()).startsWith("Periodic safety update reports");
        assertThat(top.chunkId()).isNotBlank();
        assertThat(top.documentId()).isEqualTo(report.outcomes().getFirst().documentId());
        assertThat(response.vectorStore()).isEqualTo(kb.vectorStore());
        Source source = response.sources().getFirst();
        assertThat(source.index()).isEqualTo(1);
        assertThat(source.confidence()).isBetween(0.0, 1.0);
        assertThat(source.documentId()).isEqualTo(top.documentId());
    }

    @ParameterizedTest
    @EnumSource(SearchStrategy.class)
    void a_tenant_never_retrieves_another_tenants_private_documents(SearchStrategy strategy) {
        kb.ingest(ACME, List.of(doc("psur", "Acme PSUR playbook", PSUR, "pv", false)), o -> { });
        kb.ingest(GLOBEX, List.of(doc("biosim", "Globex biosimilar notes", BIOSIM, "cmc", false)), o -> { });
        kb.ingest(TenantContext.operator("globex", "bob"), List.of(doc("mdr", "Public MDR primer", DEVICE, "devices", true)),
                o -> { });

        for (String q : List.of("periodic safety update reports benefit-risk", "biosimilar reference product",
                "notified body class III devices")) {
            assertThat(titles(GLOBEX, q, strategy)).doesNotContain("Acme PSUR playbook");
            assertThat(titles(ACME, q, strategy)).doesNotContain("Globex biosimilar notes");
        }
        assertThat(titles(ACME, "notified body class III devices", strategy)).contains("Public MDR primer");
        assertThat(titles(new TenantContext("initech", "carol", false), "periodic safety update reports", strategy))
                .doesNotContain("Acme PSUR playbook");
    }

    @Test
    void namespace_and_domain_filters_restrict_results() {
        kb.ingest(ACME, List.of(doc("psur", "PSUR basics", PSUR, "pv", false),
                new DocumentInput("psur-2", "PSUR for devices", PSUR, null, "devices", "medical_devices", Map.of(), false, "test")),
                o -> { });
        var inPv = kb.search(ACME, new SearchRequest("periodic safety update", 10, List.of("pv"), null, SearchStrategy.HYBRID));
        assertThat(inPv.results()).extracting(SearchResult::namespace).containsOnly("pv");
        var inDomain = kb.search(ACME, new SearchRequest("periodic safety update", 10, List.of(), "medical_devices",
                SearchStrategy.HYBRID));
        assertThat(inDomain.results()).extracting(SearchResult::title).containsOnly("PSUR for devices");
        var nowhere = kb.search(ACME, new SearchRequest("periodic safety update", 10, List.of("nope"), null,
                SearchStrategy.HYBRID));
        assertThat(nowhere.results()).isEmpty();
    }

    @Test
    void re_ingesting_a_document_replaces_its_chunks_under_the_same_id() {
        String id = kb.ingest(ACME, List.of(doc("note", "Note", PSUR, "pv", false)), o -> { }).outcomes().getFirst().documentId();
        IngestReport again = kb.ingest(ACME, List.of(doc("note", "Note", BIOSIM, "pv", false)), o -> { });
        assertThat(again.outcomes().getFirst().documentId()).isEqualTo(id);

        for (SearchStrategy s : SearchStrategy.values()) {
            List<SearchResult> hits = kb.search(ACME, new SearchRequest("biosimilar reference product", 10, List.of(), null, s)).results();
            assertThat(hits).extracting(SearchResult::documentId).containsOnly(id);
            assertThat(hits).allSatisfy(h -> assertThat(h.content()).doesNotContain("Periodic safety"));
        }
        assertThat(kb.search(ACME, new SearchRequest("periodic safety update", 10, List.of(), null, SearchStrategy.KEYWORD))
                .results()).isEmpty();
        assertThat(JdbcClient.create(dataSource).sql("select count(*) from knowledge_chunks").query(Long.class).single()).isEqualTo(1);
        assertThat(JdbcClient.create(dataSource).sql("select coalesce(sum(df), 0) from knowledge_term_stats").query(Long.class)
                .single()).isEqualTo(JdbcClient.create(dataSource).sql("select count(*) from knowledge_postings").query(Long.class)
                .single());
        assertThat(kb.documents(ACME, null, 10, 0)).hasSize(1);
    }

    @Test
    void hybrid_search_fuses_by_reciprocal_rank_unless_told_otherwise() {
        assertThat(kb.fusion()).isEqualTo(HybridFusion.RRF);
        kb.ingest(ACME, List.of(doc("psur", "PSUR basics", PSUR, "pv", false), doc("biosim", "Biosimilars", BIOSIM, "cmc", false)),
                o -> { });
        SearchResult top = kb.search(ACME, new SearchRequest("periodic safety update report", 5, List.of(), null,
                SearchStrategy.HYBRID)).results().getFirst();
        // First in both lists: 1/61 twice, which is confidence 1.
        assertThat(top.title()).isEqualTo("PSUR basics");
        assertThat(top.score()).isEqualTo(2.0 / 61, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(top.confidence()).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void vectors_of_another_model_are_recomputed_at_start() {
        kb.ingest(ACME, List.of(doc("psur", "PSUR basics", PSUR, "pv", false), doc("biosim", "Biosimilars", BIOSIM, "cmc", false),
                doc("mdr", "EU MDR", DEVICE, "devices", false)), o -> { });
        JdbcClient sql = JdbcClient.create(dataSource);
        assertThat(sql.sql("select distinct embedding_model from knowledge_chunks").query(String.class).list())
                .containsExactly(TextEmbedder.MODEL);
        Map<Long, float[]> fresh = embeddings(sql);
        // What a database written by the earlier model looks like: its vectors point elsewhere.
        String elsewhere = "array[1::real] || array_fill(0::real, array[383])";
        sql.sql("update knowledge_chunks set embedding_model = 'all-minilm-l6-v2-q', embedding = " + elsewhere).update();
        if (kb.vectorStore().equals("pgvector")) {
            sql.sql("update knowledge_chunks set embedding_v = cast(" + elsewhere + " as vector)").update();
        }
        kb.close();

        kb = KnowledgeBase.open(dataSource, embedder, store(), dataDir.resolve("index"));

        assertThat(sql.sql("select distinct embedding_model from knowledge_chunks").query(String.class).list())
                .containsExactly(TextEmbedder.MODEL);
        Map<Long, float[]> refreshed = embeddings(sql);
        assertThat(refreshed.keySet()).isEqualTo(fresh.keySet());
        refreshed.forEach((id, v) -> assertThat(dot(v, fresh.get(id))).isGreaterThan(0.999));
        if (kb.vectorStore().equals("pgvector")) {
            assertThat(sql.sql("select count(*) from knowledge_chunks where embedding_v is null or embedding_v <> embedding::vector")
                    .query(Long.class).single()).isZero();
        }
        List<String> hits = titles(ACME, "notified body assessment for class III devices", SearchStrategy.VECTOR);
        assertThat(hits).first().isEqualTo("EU MDR");
    }

    private static Map<Long, float[]> embeddings(JdbcClient sql) {
        Map<Long, float[]> out = new java.util.HashMap<>();
        sql.sql("select id, embedding from knowledge_chunks").query((rs, n) -> {
            Float[] boxed = (Float[]) rs.getArray(2).getArray();
            float[] v = new float[boxed.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = boxed[i];
            }
            out.put(rs.getLong(1), v);
            return null;
        }).list();
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }

    @Test
    void deleting_removes_a_document_from_every_index() {
        String id = kb.ingest(ACME, List.of(doc("psur", "PSUR basics", PSUR, "pv", false),
                doc("biosim", "Biosimilars", BIOSIM, "cmc", false)), o -> { }).outcomes().getFirst().documentId();
        assertThatThrownBy(() -> kb.delete(GLOBEX, id)).isInstanceOfSatisfying(AskExpertException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.DOCUMENT_NOT_FOUND));
        kb.delete(ACME, id);
        for (SearchStrategy s : SearchStrategy.values()) {
            assertThat(kb.search(ACME, new SearchRequest("periodic safety update report", 10, List.of(), null, s)).results())
                    .extracting(SearchResult::documentId).doesNotContain(id);
        }
        var jdbc = JdbcClient.create(dataSource);
        assertThat(jdbc.sql("select count(*) from knowledge_postings p join knowledge_chunks c on c.id = p.chunk_id")
                .query(Long.class).single())
                .isEqualTo(jdbc.sql("select count(*) from knowledge_postings").query(Long.class).single());
        assertThat(jdbc.sql("select sum(chunk_count) from knowledge_partitions").query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select coalesce(sum(df), 0) from knowledge_term_stats").query(Long.class).single())
                .isEqualTo(jdbc.sql("select count(*) from knowledge_postings").query(Long.class).single());
        assertThatThrownBy(() -> kb.delete(ACME, id)).isInstanceOf(AskExpertException.class);
        assertThatThrownBy(() -> kb.delete(ACME, "not-a-uuid")).isInstanceOf(AskExpertException.class);
    }

    @Test
    void empty_documents_are_reported_and_the_rest_of_the_batch_is_indexed() {
        List<IngestOutcome> seen = new ArrayList<>();
        IngestReport report = kb.ingest(ACME, List.of(doc("empty", "Empty", "   ", "pv", false),
                doc("psur", "PSUR basics", PSUR, "pv", false), doc("untitled", "", BIOSIM, "pv", false)), seen::add);
        assertThat(report.succeeded()).isEqualTo(1);
        assertThat(report.outcomes().get(0).error()).contains("empty");
        assertThat(report.outcomes().get(2).error()).contains("title");
        assertThat(seen).hasSize(3);
        assertThat(kb.documents(ACME, null, 10, 0)).extracting(DocumentSummary::externalId).containsExactly("psur");
    }

    @Test
    void a_document_the_database_cannot_hold_is_refused_and_the_batch_goes_on() {
        // PostgreSQL text cannot hold NUL: such a document is refused before anything of it is written.
        IngestReport report = kb.ingest(ACME, List.of(doc("psur", "PSUR basics", PSUR, "pv", false),
                doc("nul", "Broken biosimilar note", "Biosimilar comparability \u0000 exercises.", "pv", false),
                doc("mdr", "EU MDR", DEVICE, "devices", false)), o -> { });
        assertThat(report.succeeded()).isEqualTo(2);
        assertThat(report.outcomes().get(1).ok()).isFalse();
        assertThat(report.outcomes().get(1).error()).contains("NUL").doesNotContain("SQL").doesNotContain("varying");
        assertThat(kb.documents(ACME, null, 10, 0)).extracting(DocumentSummary::externalId).containsExactlyInAnyOrder("psur", "mdr");
        var jdbc = JdbcClient.create(dataSource);
        assertThat(jdbc.sql("select count(*) from knowledge_chunks").query(Long.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("select sum(chunk_count) from knowledge_partitions").query(Long.class).single()).isEqualTo(2);
        for (SearchStrategy s : SearchStrategy.values()) {
            assertThat(titles(ACME, "biosimilar comparability exercises", s)).doesNotContain("Broken biosimilar note");
        }
    }

    @Test
    void keyword_scores_use_only_the_visible_partitions_statistics() {
        kb.ingest(GLOBEX, List.of(doc("biosim", "Globex biosimilar notes", BIOSIM, "cmc", false),
                doc("mdr", "Globex device notes", DEVICE, "devices", false)), o -> { });
        SearchRequest query = new SearchRequest("biosimilar reference product", 5, List.of(), null, SearchStrategy.KEYWORD);
        double before = kb.search(GLOBEX, query).results().getFirst().score();
        List<DocumentInput> flood = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            flood.add(doc("acme-" + i, "Acme biosimilar " + i, "Biosimilar reference product dossier number " + i + ".",
                    "cmc", false));
        }
        kb.ingest(ACME, flood, o -> { });
        double after = kb.search(GLOBEX, query).results().getFirst().score();
        assertThat(after).isCloseTo(before, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(kb.search(ACME, query).results()).extracting(SearchResult::title).allMatch(t -> t.startsWith("Acme"));
    }

    @Test
    void writes_need_the_admin_role() {
        TenantContext reader = new TenantContext("acme", "eve", false);
        assertThatThrownBy(() -> kb.ingest(reader, List.of(doc("psur", "PSUR", PSUR, "pv", false)), o -> { }))
                .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    }

    @Test
    void a_large_batch_runs_as_a_job_with_progress() throws Exception {
        List<DocumentInput> docs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            docs.add(doc("d" + i, "Document " + i, PSUR + " Item " + i + ".", "bulk", false));
        }
        docs.add(doc("blank", "Blank", "", "bulk", false));
        String jobId = kb.submit(ACME, docs);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> kb.job(ACME, jobId).status().equals("completed"));
        IngestJob job = kb.job(ACME, jobId);
        assertThat(job.total()).isEqualTo(31);
        assertThat(job.processed()).isEqualTo(31);
        assertThat(job.succeeded()).isEqualTo(30);
        assertThat(job.errors()).singleElement().satisfies(e -> assertThat(e).containsEntry("key", "blank"));
        assertThatThrownBy(() -> kb.job(GLOBEX, jobId)).isInstanceOfSatisfying(AskExpertException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.JOB_NOT_FOUND));
    }
}
