package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.askexpert.agents.AgentCatalog;
import io.askexpert.auth.TenantContext;
import io.askexpert.knowledge.DocumentInput;
import io.askexpert.knowledge.KnowledgeBase;
import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestTokens;
import io.askexpert.testsupport.TestService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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

/**
 * The mode 2 stream contract (api.md §4, §5.2) over real HTTP, read with the strict SSE parser:
 * the service runs against a real PostgreSQL, its own knowledge base and the in-repo mock LLM
 * server; fusion picks the panel from a small catalogue whose experts each read their own
 * knowledge namespace.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class Mode2StreamIT {

    static final TestPostgres DB = TestPostgres.create();
    static final MockLlmServer LLM = startMock();
    static final String STREAM = "/api/v1/expert/mode2/stream";
    /** The run's events in §5.2's order, by name: reasoning and citations may be absent, tokens may not. */
    static final String FUSION_ORDER = "run progress fusion progress( reasoning)* sources( token)+( citation)* cost done";
    /** With {@code enable_fusion=false} the chosen expert is announced as in mode 1. */
    static final String CHOSEN_ORDER = "run progress agent_selected( reasoning)* sources( token)+( citation)* cost done";
    static final String QUESTION = "For our first IND to the FDA, what stability testing data and what safety signal "
            + "detection plan do we need?";
    @TempDir static Path dataDir;

    static MockLlmServer startMock() {
        try {
            return MockLlmServer.start(MockLlmConfig.forTests());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DB, dataDir);
        registry.add("ask-expert.starter-catalogue", () -> "false");
        registry.add("ask-expert.rate-limits.enabled", () -> "false");
        registry.add("ask-expert.knowledge.vector-store", () -> "lucene");
        registry.add("ask-expert.llm.anthropic-api-key", () -> "test-key");
        registry.add("ask-expert.llm.anthropic-base-url", () -> LLM.baseUri().toString());
        registry.add("ask-expert.llm.openai-api-key", () -> "");
    }

    @AfterAll
    static void stop() {
        LLM.close();
        DB.close();
    }

    @LocalServerPort int port;
    @Autowired AgentCatalog catalog;
    @Autowired KnowledgeBase knowledge;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    /** slug → knowledge namespace, one each. */
    static final Map<String, String> NAMESPACES = Map.of("ind-strategy-lead", "ind-notes",
            "cmc-stability-specialist", "cmc-notes", "safety-signal-specialist", "pv-notes",
            "hta-dossier-specialist", "hta-notes");

    static Map<String, Object> agent(String slug, String name, int level, String specialty, List<String> capabilities,
                                     List<String> regions, List<String> collaborators) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("slug", slug);
        a.put("name", name);
        a.put("level", level);
        a.put("specialty", specialty);
        a.put("description", name + ": " + specialty + ".");
        a.put("domains", List.of("regulatory affairs"));
        a.put("capabilities", capabilities);
        a.put("regions", regions);
        a.put("knowledge_namespaces", List.of(NAMESPACES.get(slug)));
        a.put("collaborates_with", collaborators);
        return a;
    }

    static DocumentInput document(String namespace, String id, String title, String content) {
        return new DocumentInput(id, title, content, "https://example.org/" + namespace + "/" + id, namespace, null,
                Map.of(), false, "test");
    }

    @BeforeEach
    void seed() throws Exception {
        if (catalog.find("t1", "ind-strategy-lead").isPresent()) {
            return;
        }
        catalog.importRecords(null, List.of(
                agent("ind-strategy-lead", "IND Strategy Lead", 2, "IND submissions and FDA meetings",
                        List.of("IND submissions", "pre-IND meeting"), List.of("US"), List.of()),
                agent("cmc-stability-specialist", "CMC Stability Specialist", 3, "stability testing and shelf life",
                        List.of("stability testing", "shelf life"), List.of("US", "EU"), List.of("ind-strategy-lead")),
                agent("safety-signal-specialist", "Safety Signal Specialist", 3,
                        "safety signal detection and safety reporting", List.of("signal detection", "safety reporting"),
                        List.of("US", "EU"), List.of()),
                agent("hta-dossier-specialist", "HTA Dossier Specialist", 3, "health technology assessment dossiers",
                        List.of("health technology assessment"), List.of("EU"), List.of())), n -> { });
        knowledge.ingest(new TenantContext("t1", "author", true), List.of(
                document("ind-notes", "ind-1", "IND content", "An IND is submitted to the FDA before the first "
                        + "clinical investigation. FDA has 30 days to review it before the study may start."),
                document("ind-notes", "ind-2", "Pre-IND meetings", "A pre-IND meeting lets the sponsor agree the "
                        + "nonclinical and CMC package with FDA before submission."),
                document("cmc-notes", "cmc-1", "Stability data for an IND", "Phase 1 stability testing shows the drug "
                        + "substance and drug product stay within specification for the duration of the study."),
                document("cmc-notes", "cmc-2", "Shelf life", "Shelf life is assigned from long-term and accelerated "
                        + "stability studies under ICH Q1A conditions."),
                document("pv-notes", "pv-1", "Signal detection plans", "A signal detection plan says which safety data "
                        + "are reviewed, how often, and how a potential signal is validated and escalated."),
                document("pv-notes", "pv-2", "IND safety reports", "Serious unexpected suspected adverse reactions are "
                        + "reported to FDA in IND safety reports within 15 days."),
                document("hta-notes", "hta-1", "HTA dossiers", "A health technology assessment dossier compares the "
                        + "product with the standard of care on clinical and economic grounds.")), o -> { });
        await().atMost(Duration.ofSeconds(60)).until(() -> post("/api/v1/expert/mode2/fusion/select",
                "{\"query\":\"" + QUESTION + " " + System.nanoTime() + "\"}").body().contains("safety-signal-specialist"));
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("Authorization", TestTokens.bearer("t1", "u1"))
                .header("X-Request-ID", "req-mode2-it").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    List<StrictSse.Event> stream(String body) throws Exception {
        HttpResponse<String> response = post(STREAM, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("text/event-stream"));
        List<StrictSse.Event> events = StrictSse.parse(response.body());
        assertThat(response.headers().firstValue("X-Run-ID")).contains(events.getFirst().json().path("run_id").asString());
        return events;
    }

    static String names(List<StrictSse.Event> events) {
        return events.stream().map(StrictSse.Event::name).collect(Collectors.joining(" "));
    }

    static List<StrictSse.Event> named(List<StrictSse.Event> events, String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    static StrictSse.Event only(List<StrictSse.Event> events, String name) {
        List<StrictSse.Event> found = named(events, name);
        assertThat(found).as(name).hasSize(1);
        return found.getFirst();
    }

    String slugOf(String id) {
        return catalog.find("t1", id).orElseThrow().slug();
    }

    /** The namespaces the {@code sources} event drew passages from. */
    static Set<String> sourceNamespaces(List<StrictSse.Event> events) {
        Set<String> out = new LinkedHashSet<>();
        only(events, "sources").json().path("items").forEach(item -> out.add(item.path("source").asString()));
        return out;
    }

    @Test
    void a_fusion_stream_follows_the_contract_order_and_answers_as_the_selected_panel() throws Exception {
        List<StrictSse.Event> events = stream("{\"query\":\"" + QUESTION + "\",\"options\":{\"max_experts\":3}}");
        assertThat(names(events)).matches(FUSION_ORDER);
        List<StrictSse.Event> progress = named(events, "progress");
        assertThat(progress.get(0).json().path("stage").asString()).isEqualTo("fusion");
        assertThat(progress.get(1).json().path("stage").asString()).isEqualTo("executing");
        progress.forEach(p -> assertThat(p.json().path("progress").asInt()).isBetween(0, 100));

        JsonNode fusion = only(events, "fusion").json();
        List<String> selectedIds = new ArrayList<>();
        fusion.path("selectedExperts").forEach(e -> selectedIds.add(e.path("id").asString()));
        assertThat(selectedIds).hasSizeBetween(2, 3).doesNotHaveDuplicates();
        JsonNode lead = fusion.path("selectedExperts").get(0);
        assertThat(lead.path("role").asString()).isEqualTo("lead");
        fusion.path("selectedExperts").forEach(e -> {
            assertThat(e.path("confidence").asInt()).isBetween(0, 100);
            assertThat(e.path("name").asString()).isNotBlank();
            assertThat(e.has("level") && e.has("specialty")).isTrue();
        });
        JsonNode evidence = fusion.path("evidence");
        assertThat(evidence.path("method").asString()).isEqualTo("weighted_rrf");
        assertThat(evidence.path("weights").path("vector").asDouble()).isEqualTo(0.40);
        assertThat(evidence.path("sources_used").toString()).contains("vector", "graph", "relational");
        assertThat(evidence.path("degraded").asBoolean()).isFalse();
        assertThat(evidence.has("retrieval_time_ms")).isTrue();
        assertThat(evidence.path("per_source").size()).isEqualTo(3);

        // One selection reasoning per selected expert, in the panel's order, each naming its expert.
        List<StrictSse.Event> selection = named(events, "reasoning").stream()
                .filter(r -> r.json().path("step").asString().equals("expert_selection")).toList();
        assertThat(selection).extracting(r -> r.json().path("agentId").asString()).containsExactlyElementsOf(selectedIds);
        selection.forEach(r -> {
            assertThat(r.json().path("content").asString()).contains("ranks it #");
            assertThat(r.json().path("status").asString()).isEqualTo("completed");
        });

        // The answer draws on every selected expert's knowledge namespace.
        List<String> selectedSlugs = selectedIds.stream().map(this::slugOf).toList();
        assertThat(sourceNamespaces(events)).containsAll(selectedSlugs.stream().map(NAMESPACES::get).toList());

        List<StrictSse.Event> tokens = named(events, "token");
        for (int i = 0; i < tokens.size(); i++) {
            assertThat(tokens.get(i).json().path("tokenIndex").asInt()).isEqualTo(i);
        }
        String answer = tokens.stream().map(t -> t.json().path("content").asString()).collect(Collectors.joining());
        assertThat(answer).startsWith("Regulatory guidance expects").contains("[1]");
        // The mock cites [1]: that passage, as the sources event listed it.
        JsonNode cited = only(events, "citation").json();
        assertThat(cited.path("index").asInt()).isEqualTo(1);
        assertThat(cited.path("chunk_id").asString())
                .isEqualTo(only(events, "sources").json().path("items").get(0).path("chunk_id").asString());
        assertThat(only(events, "cost").json().path("totalTokens").asLong()).isPositive();

        JsonNode done = events.getLast().json();
        assertThat(done.path("success").asBoolean()).isTrue();
        List<String> used = new ArrayList<>();
        done.path("experts_used").forEach(s -> used.add(s.asString()));
        assertThat(used).containsExactlyElementsOf(selectedSlugs);
        assertThat(done.path("run_id").asString()).isEqualTo(events.getFirst().json().path("run_id").asString());
        assertThat(done.path("session_id").asString()).isEqualTo(events.getFirst().json().path("session_id").asString());
    }

    @Test
    void max_experts_bounds_the_panel_and_the_namespaces_it_reads() throws Exception {
        List<StrictSse.Event> events = stream("{\"query\":\"" + QUESTION + "\",\"options\":{\"max_experts\":1}}");
        assertThat(names(events)).matches(FUSION_ORDER);
        JsonNode selected = only(events, "fusion").json().path("selectedExperts");
        assertThat(selected).hasSize(1);
        String slug = slugOf(selected.get(0).path("id").asString());
        assertThat(events.getLast().json().path("experts_used").toString()).isEqualTo("[\"" + slug + "\"]");
        assertThat(sourceNamespaces(events)).containsExactly(NAMESPACES.get(slug));

        for (String bad : List.of("0", "6", "\"three\"")) {
            HttpResponse<String> response = post(STREAM, "{\"query\":\"" + QUESTION + "\",\"options\":{\"max_experts\":"
                    + bad + "}}");
            assertThat(response.statusCode()).as(bad + ": " + response.body()).isEqualTo(400);
            JsonNode error = json.readTree(response.body()).path("error");
            assertThat(error.path("code").asString()).isEqualTo("VALIDATION_ERROR");
            assertThat(error.path("details").path("field").asString()).isEqualTo("options.max_experts");
        }
    }

    @Test
    void with_fusion_off_the_chosen_expert_answers_from_its_own_namespace() throws Exception {
        List<StrictSse.Event> events = stream("{\"query\":\"" + QUESTION + "\",\"agent_id\":\"cmc-stability-specialist\","
                + "\"options\":{\"enable_fusion\":false}}");
        assertThat(names(events)).matches(CHOSEN_ORDER);
        assertThat(named(events, "fusion")).isEmpty();
        assertThat(named(events, "progress")).singleElement()
                .satisfies(p -> assertThat(p.json().path("stage").asString()).isEqualTo("executing"));
        String id = catalog.find("t1", "cmc-stability-specialist").orElseThrow().id();
        assertThat(only(events, "agent_selected").json().path("agent").path("id").asString()).isEqualTo(id);
        assertThat(sourceNamespaces(events)).containsExactly("cmc-notes");
        assertThat(events.getLast().json().path("experts_used").toString()).isEqualTo("[\"cmc-stability-specialist\"]");

        HttpResponse<String> noAgent = post(STREAM, "{\"query\":\"" + QUESTION + "\",\"options\":{\"enable_fusion\":false}}");
        assertThat(noAgent.statusCode()).isEqualTo(400);
        assertThat(json.readTree(noAgent.body()).path("error").path("details").path("field").asString())
                .isEqualTo("agent_id");
    }

    @Test
    void negative_fusion_weights_are_a_400_before_the_stream_starts() throws Exception {
        for (String weights : List.of("{\"vector\":-0.1}", "{\"graph\":-1,\"relational\":1}")) {
            HttpResponse<String> response = post(STREAM, "{\"query\":\"" + QUESTION + "\",\"options\":{\"fusion_weights\":"
                    + weights + "}}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
            assertThat(response.headers().firstValue("X-Run-ID")).isEmpty();
            JsonNode error = json.readTree(response.body()).path("error");
            assertThat(error.path("code").asString()).isEqualTo("VALIDATION_ERROR");
            assertThat(error.path("details").path("field").asString()).startsWith("options.fusion_weights.");
            assertThat(error.path("request_id").asString()).isEqualTo("req-mode2-it");
        }
        // Valid request weights are applied and reported.
        List<StrictSse.Event> events = stream("{\"query\":\"" + QUESTION + "\",\"options\":{\"fusion_weights\":"
                + "{\"vector\":0,\"graph\":0.5,\"relational\":0.5}}}");
        JsonNode evidence = only(events, "fusion").json().path("evidence");
        assertThat(evidence.path("weights").path("vector").asDouble()).isZero();
        assertThat(evidence.path("per_source").path("vector").path("status").asString()).isEqualTo("skipped");
        assertThat(names(events)).matches(FUSION_ORDER);
    }
}
