package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.askexpert.agents.AgentCatalog;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestTokens;
import io.askexpert.testsupport.TestService;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code POST /mode2/fusion/select} over real HTTP, with the catalogue in a real PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FusionSelectHttpIT {

    static final TestPostgres DB = TestPostgres.create();
    static final String SELECT = "/api/v1/expert/mode2/fusion/select";
    @TempDir static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DB, dataDir);
        registry.add("ask-expert.fusion.source-timeout", () -> "1500");
        registry.add("ask-expert.starter-catalogue", () -> "false");
        registry.add("ask-expert.rate-limits.enabled", () -> "false");
    }

    @AfterAll
    static void dropDatabase() {
        DB.close();
    }

    @LocalServerPort int port;
    @Autowired AgentCatalog catalog;
    @Autowired MeterRegistry meters;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    static Map<String, Object> agent(String slug, String name, String specialty, List<String> capabilities,
                                     List<String> regions) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("slug", slug);
        a.put("name", name);
        a.put("level", 2);
        a.put("specialty", specialty);
        a.put("description", name + ": " + specialty);
        a.put("domains", List.of("regulatory affairs"));
        a.put("capabilities", capabilities);
        a.put("regions", regions);
        return a;
    }

    @BeforeEach
    void seed() {
        if (catalog.find("t1", "fda-regulatory").isPresent()) {
            return;
        }
        catalog.importRecords(null, List.of(
                agent("fda-regulatory", "FDA Regulatory Strategist", "US drug regulatory strategy",
                        List.of("IND submissions", "NDA preparation"), List.of("US")),
                agent("ema-regulatory", "EMA Regulatory Strategist", "EU centralised procedure",
                        List.of("marketing authorisation applications"), List.of("EU")),
                agent("pv-signals", "Pharmacovigilance Physician", "drug safety signal detection",
                        List.of("signal detection"), List.of("EU", "US"))), n -> { });
        catalog.importRecords("acme", List.of(agent("acme-ind-insider", "Acme IND Insider",
                "Acme's own IND submissions playbook", List.of("IND submissions"), List.of("US"))), n -> { });
        await().atMost(Duration.ofSeconds(60)).until(() -> post("t1", "{\"query\":\"IND submissions to FDA "
                + System.nanoTime() + "\"}").body().contains("fda-regulatory"));
    }

    HttpResponse<String> post(String tenant, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + SELECT))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (tenant != null) {
            request.header("Authorization", TestTokens.bearer(tenant, "u1"));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    JsonNode error(HttpResponse<String> response, int status, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json.readTree(response.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("VALIDATION_ERROR");
        assertThat(error.path("details").path("field").asString()).isEqualTo(field);
        return error;
    }

    @Test
    void selects_experts_with_reasoning_evidence_and_timings() throws Exception {
        JsonNode body = ok(post("t1", "{\"query\":\"How do we prepare IND submissions for the FDA?\",\"max_experts\":2,"
                + "\"context\":{\"region_id\":\"us\"}}"));
        JsonNode lead = body.path("selected_experts").get(0);
        assertThat(lead.path("slug").asString()).isEqualTo("fda-regulatory");
        assertThat(lead.path("role").asString()).isEqualTo("lead");
        assertThat(lead.path("confidence").asInt()).isBetween(1, 100);
        assertThat(lead.path("level").asInt()).isEqualTo(2);
        assertThat(lead.path("reasoning").asString()).contains("ranks it #1");
        assertThat(lead.path("evidence").path("ranks").path("relational").asInt()).isEqualTo(1);
        assertThat(body.path("selected_experts").size()).isLessThanOrEqualTo(2);
        JsonNode evidence = body.path("fusion_evidence");
        assertThat(evidence.path("method").asString()).isEqualTo("weighted_rrf");
        assertThat(evidence.path("weights").path("vector").asDouble()).isEqualTo(0.40);
        assertThat(evidence.path("vector_scores").has(lead.path("id").asString())).isTrue();
        assertThat(evidence.path("graph_paths").path(lead.path("id").asString()).get(0).asString()).isEqualTo("question");
        assertThat(evidence.path("relational_scores").has(lead.path("id").asString())).isTrue();
        assertThat(evidence.path("degraded").asBoolean()).isFalse();
        assertThat(body.path("timings").has("embedding_ms")).isTrue();
        assertThat(body.path("timings").path("per_source_ms").size()).isEqualTo(3);
        assertThat(body.path("fallback").asBoolean()).isFalse();
    }

    @Test
    void request_weights_change_what_is_asked_and_reported() throws Exception {
        JsonNode body = ok(post("t1", "{\"query\":\"Signal detection for an EU product\","
                + "\"fusion_weights\":{\"vector\":0,\"graph\":0,\"relational\":1}}"));
        assertThat(body.path("fusion_evidence").path("sources_used").toString()).isEqualTo("[\"relational\"]");
        assertThat(body.path("fusion_evidence").path("per_source").path("vector").path("status").asString())
                .isEqualTo("skipped");
        assertThat(body.path("fusion_evidence").path("weights").path("relational").asDouble()).isEqualTo(1.0);
    }

    @Test
    void another_tenants_private_expert_is_never_shown() throws Exception {
        String question = "{\"query\":\"Acme IND submissions playbook insider\"}";
        assertThat(post("t1", question).body()).doesNotContain("acme-ind-insider");
        JsonNode own = ok(post("acme", question));
        assertThat(own.path("selected_experts").get(0).path("slug").asString()).isEqualTo("acme-ind-insider");
    }

    /**
     * An import answers only once the routing snapshot holds what it wrote: the very next selection
     * finds a new expert. The body (60 experts with 20 KB system prompts, 1.2 MB) is over the
     * general 1 MiB limit and within the import's.
     */
    @Test
    void an_import_over_one_mebibyte_is_routable_as_soon_as_it_returns() throws Exception {
        List<Map<String, Object>> records = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Map<String, Object> a = agent("bulk-" + i, "Bulk Specialist " + i, "Topic number " + i,
                    List.of("routine topic " + i), List.of("US"));
            a.put("level", 3);
            a.put("system_prompt", "You are bulk specialist " + i + ". " + "Answer carefully. ".repeat(1100));
            records.add(a);
        }
        records.set(37, agent("bulk-37", "Cryogenic Shipping Specialist", "Liquid nitrogen dry shippers for "
                + "cell therapy apheresis material", List.of("dry shipper qualification"), List.of("US")));
        String body = json.writeValueAsString(records);
        assertThat(body.length()).isGreaterThan(1 << 20);
        HttpResponse<String> imported = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/expert/agents"))
                .header("Content-Type", "application/json").header("Authorization", TestTokens.bearer(TestTokens.SECRET, "bulk", "u1", true))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);
        JsonNode lead = ok(post("bulk", "{\"query\":\"Who qualifies the liquid nitrogen dry shippers for "
                + "apheresis material?\"}")).path("selected_experts").get(0);
        assertThat(lead.path("slug").asString()).isEqualTo("bulk-37");
    }

    @Test
    void a_repeated_question_is_answered_from_the_cache() throws Exception {
        String question = "{\"query\":\"Who prepares NDA submissions?\"}";
        assertThat(ok(post("t1", question)).path("cached").asBoolean()).isFalse();
        assertThat(ok(post("t1", question)).path("cached").asBoolean()).isTrue();
    }

    @Test
    void bad_input_is_a_400_naming_the_field_and_no_token_is_a_401() throws Exception {
        error(post("t1", "{\"query\":\"hey\"}"), 400, "query");
        error(post("t1", "{}"), 400, "query");
        error(post("t1", "{\"query\":\"valid question\",\"max_experts\":9}"), 400, "max_experts");
        error(post("t1", "{\"query\":\"valid question\",\"fusion_weights\":{\"vector\":-1}}"), 400,
                "fusion_weights.vector");
        error(post("t1", "{\"query\":\"valid question\",\"fusion_weights\":{\"vector\":0,\"graph\":0,"
                + "\"relational\":0}}"), 400, "fusion_weights");
        error(post("t1", "{\"query\":\"valid question\",\"max_experts\":\"three\"}"), 400, "max_experts");
        assertThat(post(null, "{\"query\":\"valid question\"}").statusCode()).isEqualTo(401);
    }

    @Test
    void a_source_that_misses_its_deadline_is_dropped_and_the_others_answer() throws Exception {
        double before = meters.counter("fusion_timeouts_total").count()
                + meters.counter("fusion_source_failures_total", "source", "relational").count();
        try (Connection locker = DriverManager.getConnection(DB.jdbcUrl())) {
            locker.setAutoCommit(false);
            locker.createStatement().execute("lock table catalogue_state in access exclusive mode");
            JsonNode body = ok(post("t1", "{\"query\":\"Marketing authorisation applications in the EU\"}"));
            locker.rollback();
            assertThat(body.path("degraded").asBoolean()).isTrue();
            assertThat(body.path("fusion_evidence").path("per_source").path("relational").path("status").asString())
                    .isIn("timeout", "failed");
            assertThat(body.path("fusion_evidence").path("sources_used").toString()).contains("vector", "graph");
            assertThat(body.path("selected_experts").get(0).path("slug").asString()).isEqualTo("ema-regulatory");
        }
        JsonNode again = ok(post("t1", "{\"query\":\"Marketing authorisation applications in the EU\"}"));
        assertThat(again.path("cached").asBoolean()).as("a degraded selection is not cached").isFalse();
        assertThat(again.path("degraded").asBoolean()).isFalse();
        assertThat(meters.counter("fusion_timeouts_total").count()
                + meters.counter("fusion_source_failures_total", "source", "relational").count()).isEqualTo(before + 1);
    }

    @Test
    void every_source_failing_falls_back_to_the_most_general_expert() throws Exception {
        double timeouts = meters.counter("fusion_timeouts_total").count();
        double failures = meters.counter("fusion_source_failures_total", "source", "relational").count();
        try (Connection locker = DriverManager.getConnection(DB.jdbcUrl())) {
            locker.setAutoCommit(false);
            locker.createStatement().execute("lock table catalogue_state in access exclusive mode");
            // Only the relational source is asked, and it cannot read the catalogue state: every source asked fails.
            JsonNode body = ok(post("t1", "{\"query\":\"Who reviews our periodic safety reports?\","
                    + "\"fusion_weights\":{\"vector\":0,\"graph\":0,\"relational\":1}}"));
            locker.rollback();
            assertThat(body.path("fallback").asBoolean()).isTrue();
            assertThat(body.path("degraded").asBoolean()).isTrue();
            assertThat(body.path("fusion_evidence").path("fallback_reason").asString()).isEqualTo("all_sources_failed");
            assertThat(body.path("fusion_evidence").path("sources_used").size()).isZero();
            assertThat(body.path("selected_experts")).hasSize(1);
            JsonNode chosen = body.path("selected_experts").get(0);
            assertThat(chosen.path("role").asString()).isEqualTo("fallback");
            // No FUSION_FALLBACK_EXPERT here: the most general expert t1 sees (all are level 2: the first slug).
            assertThat(chosen.path("slug").asString()).isEqualTo("ema-regulatory");
            assertThat(chosen.path("reasoning").asString()).contains("fallback");
        }
        assertThat(meters.counter("fusion_timeouts_total").count()
                + meters.counter("fusion_source_failures_total", "source", "relational").count())
                .isEqualTo(timeouts + failures + 1);
    }
}
