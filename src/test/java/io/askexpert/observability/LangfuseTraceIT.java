package io.askexpert.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.mockllm.MockReply;
import io.askexpert.mockllm.MockScenario;
import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestService;
import io.askexpert.testsupport.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A mode 1 and a mode 2 answer and a mode 3 mission of the running service, as a local OTLP receiver
 * standing in for Langfuse gets them: one trace each named by the runbook's convention, the runbook's
 * span names under one root (a mission's tool executions and model calls under the step's span), and
 * generations with model, token usage and cost in the attributes Langfuse maps ({@code gen_ai.*},
 * {@code langfuse.observation.*}), equal to what the client was billed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Closed after the class: a cached context would keep its database connections for the whole suite.
@org.springframework.test.annotation.DirtiesContext
class LangfuseTraceIT {

    static final String MODEL = "claude-sonnet-4-20250514";
    static final int ANSWER_TOKENS = 30;
    static final List<OtlpRequest.Span> RECEIVED = new CopyOnWriteArrayList<>();
    static final HttpServer RECEIVER = receiver();
    static final TestPostgres DB = TestPostgres.create();
    static final MockLlmServer MOCK = mock();
    static final Path DATA_DIR = dataDir();
    static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            RECEIVER.stop(0);
            MOCK.close();
            DB.close();
            org.springframework.util.FileSystemUtils.deleteRecursively(DATA_DIR.toFile());
        }));
    }

    static HttpServer receiver() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/api/public/otel/v1/traces", exchange -> {
                RECEIVED.addAll(OtlpRequest.spans(exchange.getRequestBody().readAllBytes()));
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MockLlmServer mock() {
        try {
            return MockLlmServer.start(MockLlmConfig.forTests().withTiming(Duration.ofMillis(20), 500, ANSWER_TOKENS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path dataDir() {
        try {
            return Files.createTempDirectory("ask-expert-langfuse-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DB, DATA_DIR);
        registry.add("ask-expert.database.pool-size", () -> "4");
        registry.add("ask-expert.langfuse.enabled", () -> "true");
        registry.add("ask-expert.langfuse.host", () -> "http://127.0.0.1:" + RECEIVER.getAddress().getPort());
        registry.add("ask-expert.langfuse.public-key", () -> "pk-lf-test");
        registry.add("ask-expert.langfuse.secret-key", () -> "sk-lf-test");
        registry.add("ask-expert.rate-limits.enabled", () -> "false");
        registry.add("ask-expert.llm.anthropic-api-key", () -> "test-key");
        registry.add("ask-expert.llm.anthropic-base-url", () -> MOCK.baseUri().toString());
    }

    @LocalServerPort int port;

    @Test
    void mode_1_and_mode_2_answers_are_traces_langfuse_can_read() throws Exception {
        JsonNode mode1 = ask("/api/v1/expert/mode1/stream",
                "{\"agent_id\":\"fda-regulatory-expert\",\"query\":\"What must an IND application contain?\"}");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> post(
                "/api/v1/expert/mode2/fusion/select", "{\"query\":\"Which expert reviews IND safety reports? "
                        + System.nanoTime() + "\"}").body().contains("\"selected_experts\":[{"));
        JsonNode mode2 = ask("/api/v1/expert/mode2/stream", "{\"query\":\"How fast must a fatal SUSAR be reported in the EU?\"}");

        List<OtlpRequest.Span> trace1 = trace("mode1", mode1);
        List<OtlpRequest.Span> trace2 = trace("mode2", mode2);
        assertThat(names(trace1)).contains("agent_instantiation", "context_resolution", "rag_retrieval", "llm_generation");
        assertThat(names(trace2)).contains("fusion_selection", "agent_instantiation", "context_resolution",
                "rag_retrieval", "llm_generation");
        // tool_execution is the sixth: mission steps record it.
        assertThat(Arrays.stream(SpanName.values()).map(SpanName::wireName)).containsExactly("agent_instantiation",
                "context_resolution", "fusion_selection", "rag_retrieval", "llm_generation", "tool_execution");
        generationIsCosted(trace1, mode1);
        generationIsCosted(trace2, mode2);
        assertThat(RECEIVED).allSatisfy(span -> assertThat(span.attributes().toString())
                .doesNotContain("IND application contain").doesNotContain("test-key"));
    }

    @Test
    void a_mission_traces_its_steps_with_their_generations_and_tool_executions() throws Exception {
        MOCK.scenario(
                MockScenario.reply(new MockReply.Scripted("{\"steps\": [{\"name\": \"Search the rules\", "
                        + "\"tools\": [\"knowledge_search\"]}], \"confidence\": 0.8}", List.of()))
                        .forModel(MODEL).whenBodyContains("Plan the mission").repeating(),
                MockScenario.reply(new MockReply.Scripted("Let me search.", List.of(new MockReply.ToolCall("toolu_trace",
                                "knowledge_search", Map.of("query", "IND safety report timelines")))))
                        .forModel(MODEL).whenBodyContains("Now do step 1")
                        .whenLastMessageIs(MockScenario.LastMessage.TEXT).repeating(),
                MockScenario.reply(new MockReply.Scripted("Fatal cases within seven days.", List.of()))
                        .forModel(MODEL).whenBodyContains("Now do step 1")
                        .whenLastMessageIs(MockScenario.LastMessage.TOOL_RESULT).repeating(),
                MockScenario.reply(new MockReply.Scripted("# Timelines\n\nSeven days for fatal cases.", List.of()))
                        .forModel(MODEL).whenBodyContains("final report").repeating());
        try {
            HttpResponse<String> created = post("/api/v1/expert/mode3/mission/create", "{\"goal\":\"Summarise the IND "
                    + "safety reporting timelines\",\"agent_id\":\"fda-regulatory-expert\",\"options\":{\"max_steps\":1,"
                    + "\"require_checkpoints\":false}}");
            assertThat(created.statusCode()).as(created.body()).isBetween(200, 201);
            String id = JSON.readTree(created.body()).get("mission_id").asString();
            HttpResponse<String> streamed = post("/api/v1/expert/mode3/stream", "{\"mission_id\":\"" + id + "\"}");
            List<StrictSse.Event> events = StrictSse.parse(streamed.body());
            assertThat(events.getLast().name()).as(streamed.body()).isEqualTo("done");
            double billed = events.stream().filter(e -> e.name().equals("cost")).findFirst().orElseThrow().json()
                    .get("currentCost").asDouble();

            String name = "ask_expert_mode3_" + id.substring(0, 8);
            OtlpRequest.Span root = await().atMost(Duration.ofSeconds(30)).until(() -> RECEIVED.stream()
                    .filter(s -> s.name().equals(name)).findFirst().orElse(null), r -> r != null);
            assertThat(root.parentSpanId()).isEmpty();
            assertThat(root.attributes()).containsEntry("langfuse.session.id", id).containsEntry("langfuse.user.id", "u-trace");
            // the report's generation ends last, just before the root
            await().atMost(Duration.ofSeconds(30)).until(() -> inTrace(root).stream()
                    .filter(s -> s.name().equals("llm_generation")).count() >= 4);
            List<OtlpRequest.Span> spans = inTrace(root);
            OtlpRequest.Span step = spans.stream().filter(s -> s.name().equals("mission_step")).findFirst().orElseThrow();
            assertThat(step.parentSpanId()).isEqualTo(root.spanId());

            OtlpRequest.Span tool = spans.stream().filter(s -> s.name().equals("tool_execution")).findFirst().orElseThrow();
            assertThat(tool.parentSpanId()).isEqualTo(step.spanId());
            assertThat(tool.attributes()).containsEntry("tool.name", "knowledge_search").containsEntry("mission.id", id)
                    .containsEntry("tool.call_id", "toolu_trace").containsEntry("langfuse.observation.type", "tool");

            List<OtlpRequest.Span> generations = spans.stream().filter(s -> s.name().equals("llm_generation")).toList();
            // plan and report under the root, the step's two turns under the step
            assertThat(generations).hasSize(4);
            assertThat(generations.stream().filter(g -> g.parentSpanId().equals(step.spanId()))).hasSize(2);
            assertThat(generations).allSatisfy(g -> {
                assertThat(g.attributes()).containsEntry("langfuse.observation.type", "generation")
                        .containsEntry("gen_ai.request.model", MODEL).containsEntry("gen_ai.system", "anthropic");
                assertThat((Long) g.attributes().get("gen_ai.usage.input_tokens")).isPositive();
                assertThat((Long) g.attributes().get("gen_ai.usage.output_tokens")).isPositive();
                assertThat((Double) g.attributes().get("gen_ai.usage.cost")).isPositive();
            });
            assertThat(generations.stream().mapToDouble(g -> (Double) g.attributes().get("gen_ai.usage.cost")).sum())
                    .isCloseTo(billed, org.assertj.core.data.Offset.offset(1e-9));
        } finally {
            MOCK.resetScript();
        }
    }

    static List<OtlpRequest.Span> inTrace(OtlpRequest.Span root) {
        return RECEIVED.stream().filter(s -> s.traceId().equals(root.traceId())).toList();
    }

    /** The root named ask_expert_<mode>_<session8> and every runbook span under it. */
    List<OtlpRequest.Span> trace(String mode, JsonNode done) {
        String session = done.get("session_id").asString();
        String name = "ask_expert_" + mode + "_" + session.substring(0, 8);
        OtlpRequest.Span root = await().atMost(Duration.ofSeconds(30)).until(
                () -> RECEIVED.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null), r -> r != null);
        assertThat(root.parentSpanId()).isEmpty();
        assertThat(root.attributes()).containsEntry("langfuse.trace.name", name)
                .containsEntry("langfuse.session.id", session).containsEntry("session.id", session)
                .containsEntry("langfuse.user.id", "u-trace");
        await().atMost(Duration.ofSeconds(30)).until(() -> children(root).stream()
                .anyMatch(s -> s.name().equals("llm_generation")));
        return children(root);
    }

    static List<OtlpRequest.Span> children(OtlpRequest.Span root) {
        return RECEIVED.stream().filter(s -> s.traceId().equals(root.traceId()) && s.parentSpanId().equals(root.spanId()))
                .toList();
    }

    static Set<String> names(List<OtlpRequest.Span> spans) {
        return spans.stream().map(OtlpRequest.Span::name).collect(Collectors.toSet());
    }

    static void generationIsCosted(List<OtlpRequest.Span> trace, JsonNode done) {
        OtlpRequest.Span generation = trace.stream().filter(s -> s.name().equals("llm_generation")).findFirst().orElseThrow();
        assertThat(generation.attributes()).containsEntry("langfuse.observation.type", "generation")
                .containsEntry("gen_ai.request.model", MODEL).containsEntry("gen_ai.system", "anthropic")
                .containsEntry("gen_ai.usage.output_tokens", (long) ANSWER_TOKENS);
        assertThat((Long) generation.attributes().get("gen_ai.usage.input_tokens")).isPositive();
        double billed = done.get("cost").asDouble();
        assertThat(billed).isPositive();
        assertThat((Double) generation.attributes().get("gen_ai.usage.cost")).isEqualTo(billed);
        String costDetails = (String) generation.attributes().get("langfuse.observation.cost_details");
        assertThat(costDetails).startsWith("{\"total\":").endsWith("}");
        assertThat(new java.math.BigDecimal(costDetails.substring(9, costDetails.length() - 1)))
                .isEqualByComparingTo(java.math.BigDecimal.valueOf(billed));
        assertThat((String) generation.attributes().get("langfuse.observation.usage_details"))
                .contains("\"output\":" + ANSWER_TOKENS);
        assertThat(trace).filteredOn(s -> s.name().equals("rag_retrieval"))
                .allSatisfy(s -> assertThat(s.attributes()).containsEntry("langfuse.observation.type", "retriever"));
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .header("Authorization", TestTokens.bearer("t-trace", "u-trace"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode ask(String path, String body) throws Exception {
        HttpResponse<String> r = post(path, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        StrictSse.Event done = StrictSse.parse(r.body()).getLast();
        assertThat(done.name()).as(r.body()).isEqualTo("done");
        return done.json();
    }
}
