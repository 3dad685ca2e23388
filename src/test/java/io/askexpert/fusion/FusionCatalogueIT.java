package io.askexpert.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.askexpert.AskExpertApplication;
import io.askexpert.agents.AgentCatalog;
import io.askexpert.testsupport.TestPostgres;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Fusion as Spring wires it, over the real catalogue in PostgreSQL. */
class FusionCatalogueIT {

    private static TestPostgres db;
    private static ConfigurableApplicationContext context;
    private static AgentCatalog catalog;
    private static FusionEngine engine;
    private static CatalogueSnapshots snapshots;

    static Map<String, Object> agent(String slug, String name, String specialty, List<String> capabilities,
                                     List<String> regions, List<String> areas) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("slug", slug);
        a.put("name", name);
        a.put("level", 2);
        a.put("specialty", specialty);
        a.put("description", name + ": " + specialty);
        a.put("domains", List.of("regulatory affairs"));
        a.put("capabilities", capabilities);
        a.put("regions", regions);
        a.put("therapeutic_areas", areas);
        a.put("knowledge_namespaces", List.of(slug + "-guidance"));
        return a;
    }

    @BeforeAll
    static void start() throws Exception {
        db = TestPostgres.create();
        context = new SpringApplicationBuilder(AskExpertApplication.class).web(WebApplicationType.NONE)
                .run("--ask-expert.role=api", "--ask-expert.database.url=" + db.jdbcUrl(),
                        "--ask-expert.data-dir=" + Files.createTempDirectory("fusion-it"),
                        "--ask-expert.langfuse.enabled=false", "--ask-expert.starter-catalogue=false");
        catalog = context.getBean(AgentCatalog.class);
        engine = context.getBean(FusionEngine.class);
        snapshots = context.getBean(CatalogueSnapshots.class);
        catalog.importRecords(null, List.of(
                agent("fda-regulatory", "FDA Regulatory Strategist", "US drug regulatory strategy",
                        List.of("IND submissions", "NDA preparation"), List.of("US"), List.of("oncology")),
                agent("ema-regulatory", "EMA Regulatory Strategist", "EU centralised procedure",
                        List.of("marketing authorisation applications", "scientific advice"), List.of("EU"),
                        List.of("oncology")),
                agent("pv-signals", "Pharmacovigilance Physician", "drug safety signal detection",
                        List.of("signal detection", "periodic safety update reports", "PV.BENEFIT-RISK_EVALUATION"),
                        List.of("EU", "US"),
                        List.of("cardiology"))), n -> { });
        catalog.importRecords("acme", List.of(agent("acme-ind-insider", "Acme IND Insider",
                "Acme's own IND submissions playbook", List.of("IND submissions"), List.of("US"),
                List.of("oncology"))), n -> { });
        await().atMost(Duration.ofSeconds(60)).until(() -> snapshots.get().size() == 4);
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
        db.close();
    }

    private static FusionResult select(String tenant, String question, Map<String, String> context) {
        return engine.select(new FusionRequest(question, tenant, 3, context, null));
    }

    private static String id(String tenant, String slug) {
        return catalog.find(tenant, slug).orElseThrow().id();
    }

    @Test
    void all_three_sources_answer_over_the_real_catalogue() {
        var result = select("t1", "How do we prepare IND submissions for the FDA?", Map.of());
        assertThat(result.evidence().sourcesUsed()).containsExactlyInAnyOrder("vector", "graph", "relational");
        assertThat(result.evidence().degraded()).isFalse();
        assertThat(result.selectedExperts().getFirst().id()).isEqualTo(id("t1", "fda-regulatory"));
        assertThat(result.evidence().relationalScores()).containsKey(id("t1", "fda-regulatory"));
    }

    @Test
    void tenant_private_experts_are_invisible_to_other_tenants_in_every_source() {
        String insider = id("acme", "acme-ind-insider");
        var other = select("t1", "Acme IND submissions playbook insider", Map.of());
        assertThat(other.selectedExperts()).extracting(SelectedExpert::id).doesNotContain(insider);
        assertThat(other.evidence().vectorScores()).doesNotContainKey(insider);
        assertThat(other.evidence().graphPaths()).doesNotContainKey(insider);
        assertThat(other.evidence().relationalScores()).doesNotContainKey(insider);
        var own = select("acme", "Acme IND submissions playbook insider", Map.of());
        assertThat(own.selectedExperts().getFirst().id()).isEqualTo(insider);
        assertThat(own.evidence().relationalScores()).containsKey(insider);
    }

    @Test
    void the_request_context_steers_the_relational_source() {
        String ema = id("t1", "ema-regulatory");
        String fda = id("t1", "fda-regulatory");
        var eu = select("t1", "Regulatory strategy for our oncology filing", Map.of("region_id", "eu"));
        var us = select("t1", "Regulatory strategy for our oncology filing", Map.of("region_id", "us"));
        assertThat(eu.evidence().relationalScores().keySet().iterator().next()).isEqualTo(ema);
        assertThat(us.evidence().relationalScores().keySet().iterator().next()).isEqualTo(fda);
    }

    @Test
    void a_catalogue_change_invalidates_the_cache_and_the_new_expert_is_routed_to() {
        String question = "Who runs our pediatric investigation plan strategy?";
        select("t2", question, Map.of());
        assertThat(select("t2", question, Map.of()).cached()).isTrue();
        long before = snapshots.version();
        catalog.importRecords("t2", List.of(agent("pip-lead", "Pediatric Investigation Plan Lead",
                "pediatric investigation plan strategy", List.of("pediatric investigation plans"), List.of("EU"),
                List.of())), n -> { });
        await().atMost(Duration.ofSeconds(60)).until(() -> snapshots.version() > before);
        var after = select("t2", question, Map.of());
        assertThat(after.cached()).isFalse();
        assertThat(after.selectedExperts().getFirst().id()).isEqualTo(id("t2", "pip-lead"));
    }

    /**
     * The in-memory rank is PostgreSQL's {@code ts_rank(…, 32)} of an any-word query with each
     * lexeme's share weighed by its rarity, ln(1 + profiles / profiles containing it): checked
     * against PostgreSQL's own per-lexeme ranks.
     */
    @Test
    void the_relational_source_ranks_as_postgresql_ts_rank_weighed_by_rarity() throws Exception {
        var retriever = new RelationalRetriever(context.getBean(DataSource.class), snapshots, Duration.ofSeconds(2));
        List<String> questions = List.of("How do we prepare IND submissions for the FDA?",
                "signal detection and periodic safety update reports for cardiology drugs",
                "EU scientific advice before a marketing authorisation application in oncology",
                "regulatory regulatory strategy strategist", "the and of", "Acme IND playbook",
                "PV benefit-risk evaluation");
        try (Connection c = DriverManager.getConnection(db.jdbcUrl());
             var parse = c.prepareStatement("select to_tsquery('english', ?)::text");
             var documents = c.prepareStatement("select count(*) from agents where status = 'active'");
             var perLexeme = c.prepareStatement("select id::text, ts_rank(search_vector, q, 0),"
                     + " count(*) over (), tenant_id from agents, cast(? as tsquery) q"
                     + " where status = 'active' and search_vector @@ q")) {
            long n;
            try (var rs = documents.executeQuery()) {
                rs.next();
                n = rs.getLong(1);
            }
            for (String question : questions) {
                parse.setString(1, String.join(" | ", RelationalRetriever.words(question)));
                List<String> lexemes;
                try (var rs = parse.executeQuery()) {
                    rs.next();
                    lexemes = RelationalRetriever.lexemes(rs.getString(1));
                }
                Map<String, Double> sums = new LinkedHashMap<>();
                for (String lexeme : lexemes) {
                    perLexeme.setString(1, "'" + lexeme.replace("'", "''") + "'");
                    try (var rs = perLexeme.executeQuery()) {
                        while (rs.next()) {
                            String tenant = rs.getString(4);
                            if (tenant == null || tenant.equals("acme")) {
                                double idf = Math.log(1.0 + (double) n / rs.getLong(3));
                                sums.merge(rs.getString(1), rs.getDouble(2) * idf, Double::sum);
                            }
                        }
                    }
                }
                List<RetrieverHit> hits = retriever.retrieve(new FusionQuery(question, "acme", Map.of(), 10, null));
                // A current snapshot answers from memory.
                assertThat(snapshots.get().catalogueVersion()).isEqualTo(catalog.version());
                assertThat(hits).extracting(RetrieverHit::expertId).as(question)
                        .containsExactlyInAnyOrderElementsOf(sums.keySet());
                for (RetrieverHit hit : hits) {
                    double raw = sums.get(hit.expertId()) / new java.util.TreeSet<>(lexemes).size();
                    assertThat(hit.score()).as(question).isCloseTo(raw / (raw + 1), within(1e-5));
                }
            }
        }
        // A capability code's first word is a word of the document, not part of a host name (pv.benefit).
        assertThat(retriever.retrieve(new FusionQuery("Who in PV?", "t1", Map.of(), 10, null)))
                .extracting(RetrieverHit::expertId).containsExactly(id("t1", "pv-signals"));
    }

    @Test
    void a_snapshot_behind_the_catalogue_is_not_used_the_database_ranks_instead() throws Exception {
        // Built before any expert existed: the catalogue's version has moved on since.
        CatalogueSnapshot stale = new CatalogueSnapshot(List.of(), new float[0][], Map.of("x", "'ind':1A"), 0, 1);
        var retriever = new RelationalRetriever(context.getBean(DataSource.class), () -> stale, Duration.ofSeconds(2));

        List<RetrieverHit> hits = retriever.retrieve(new FusionQuery("IND submissions", "t1", Map.of(), 10, null));

        assertThat(hits).extracting(RetrieverHit::expertId).first().isEqualTo(id("t1", "fda-regulatory"));
    }

    @Test
    void the_relational_source_is_cancelled_by_the_server_at_its_deadline() throws Exception {
        var retriever = new RelationalRetriever(context.getBean(DataSource.class), snapshots, Duration.ofMillis(200));
        try (Connection locker = DriverManager.getConnection(db.jdbcUrl())) {
            locker.setAutoCommit(false);
            locker.createStatement().execute("lock table catalogue_state in access exclusive mode");
            long started = System.nanoTime();
            assertThatThrownBy(() -> retriever.retrieve(
                    new FusionQuery("IND submissions", "t1", Map.of(), 10, null)))
                    .hasMessageContaining("statement timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            locker.rollback();
        }
    }
}
