package io.askexpert.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.mockllm.MockReply;
import io.askexpert.mockllm.MockScenario;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Native tool calling through the gateway against the mock, in both wire formats, streamed and not. */
class LlmToolCallsIT {

    private static final String CLAUDE = "claude-sonnet-4-20250514";
    private static final String GPT = "gpt-4o-mini";
    private static final PriceTable PRICES = PriceTable.load(Optional.empty());
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final LlmTool SEARCH_TOOL = new LlmTool("knowledge_search", "Search the knowledge base.",
            Map.of("type", "object", "properties", Map.of("query", Map.of("type", "string"),
                    "top_k", Map.of("type", "integer")), "required", List.of("query")));
    private static final LlmTool CALCULATOR = new LlmTool("calculator", "Evaluate an arithmetic expression.",
            Map.of("type", "object", "properties", Map.of("expression", Map.of("type", "string")),
                    "required", List.of("expression")));
    private static final Map<String, Object> SEARCH = ordered("query", "EU expedited reporting of fatal SUSARs",
            "top_k", 5);
    private static final Map<String, Object> CALC = ordered("expression", "12 * (3 + 4)");

    private MockLlmServer mock;
    private LlmGateway gateway;

    @BeforeEach
    void start() throws Exception {
        mock = MockLlmServer.start(MockLlmConfig.forTests().withTiming(Duration.ofMillis(5), 200, 8));
        gateway = new LlmGateway(LlmTestSettings.against(mock.baseUri(), mock.openAiBaseUri()).withRetries(1).build(),
                PRICES, new SimpleMeterRegistry());
    }

    @AfterEach
    void stop() {
        gateway.close();
        mock.close();
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static LlmRequest step(String model, String question) {
        return LlmRequest.of(model, "You are a regulatory expert with tools.", question, 1024)
                .withTools(List.of(SEARCH_TOOL, CALCULATOR), LlmToolChoice.AUTO);
    }

    private static LlmEvent.Terminal run(LlmGateway g, LlmRequest request, List<LlmEvent> events) throws Exception {
        return g.stream(request, events::add).terminal().get(20, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {CLAUDE, GPT})
    void streams_a_tool_call_whose_input_arrives_in_many_fragments(String model) throws Exception {
        mock.scenario(MockScenario.reply(MockReply.toolCall("knowledge_search", SEARCH)));
        List<LlmEvent> events = new ArrayList<>();
        LlmEvent.Completed done = (LlmEvent.Completed) run(gateway, step(model, "Step 1: research"), events);

        assertThat(done.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(done.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("knowledge_search");
            assertThat(call.input()).isEqualTo(SEARCH);
            assertThat(call.id()).startsWith(model.equals(CLAUDE) ? "toolu_mock_" : "call_mock_");
        });
        assertThat(events).containsExactly(new LlmEvent.ToolCallRequested(done.toolCalls().getFirst()), done);
        long fragments = (JSON.writeValueAsString(SEARCH).length() + 5) / 6;
        assertThat(fragments).isGreaterThan(8);
        assertThat(done.usage().outputTokens()).isEqualTo(fragments);
        assertThat(done.costUsd()).isEqualByComparingTo(PRICES.cost(done.usage(), model)).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {CLAUDE, GPT})
    void streams_text_then_several_tool_calls_in_one_turn_in_order(String model) throws Exception {
        mock.scenario(MockScenario.reply(MockReply.textThenToolCalls("I will search, then compute.",
                MockReply.call("knowledge_search", SEARCH), MockReply.call("calculator", CALC))));
        List<LlmEvent> events = new ArrayList<>();
        LlmEvent.Completed done = (LlmEvent.Completed) run(gateway, step(model, "Step 1"), events);

        assertThat(done.toolCalls()).extracting(LlmToolCall::name).containsExactly("knowledge_search", "calculator");
        assertThat(done.toolCalls()).extracting(LlmToolCall::input).containsExactly(SEARCH, CALC);
        assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly("TextDelta", "TextDelta",
                "TextDelta", "TextDelta", "TextDelta", "ToolCallRequested", "ToolCallRequested", "Completed");
        assertThat(events.stream().filter(e -> e instanceof LlmEvent.TextDelta)
                .map(e -> ((LlmEvent.TextDelta) e).text()).reduce("", String::concat)).isEqualTo("I will search, then compute.");
        assertThat(done.toolCalls().get(0).id()).isNotEqualTo(done.toolCalls().get(1).id());
    }

    @ParameterizedTest
    @ValueSource(strings = {CLAUDE, GPT})
    void complete_returns_the_text_and_tool_calls_with_the_same_usage_as_a_stream(String model) throws Exception {
        mock.scenario(MockScenario.reply(MockReply.textThenToolCalls("Computing.", MockReply.call("calculator", CALC)))
                .times(2));
        LlmResponse whole = gateway.complete(step(model, "Step 2"));
        LlmEvent.Completed streamed = (LlmEvent.Completed) run(gateway, step(model, "Step 2"), new ArrayList<>());

        assertThat(whole.text()).isEqualTo("Computing.");
        assertThat(whole.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(whole.toolCalls()).extracting(LlmToolCall::input).containsExactly(CALC);
        assertThat(whole.usage()).isEqualTo(streamed.usage());
        assertThat(whole.costUsd()).isEqualByComparingTo(streamed.costUsd());
    }

    @Test
    void runs_a_tool_loop_to_a_text_answer_in_both_formats() throws Exception {
        mock.scenario(MockScenario.reply(MockReply.toolCall("calculator", CALC)).whenLastMessageContains("Step 2")
                .repeating());
        mock.scenario(MockScenario.reply(MockReply.text("12 × 7 is 84 [1].")).whenLastMessageIs(
                MockScenario.LastMessage.TOOL_RESULT).repeating());
        for (String model : List.of(CLAUDE, GPT)) {
            List<LlmMessage> conversation = new ArrayList<>(List.of(LlmMessage.user("Step 2: compute the total")));
            LlmRequest request = step(model, "unused").withMessages(conversation);
            LlmEvent.Completed done = (LlmEvent.Completed) run(gateway, request, new ArrayList<>());
            int rounds = 1;
            while (done.stopReason() == StopReason.TOOL_USE) {
                conversation.add(LlmMessage.toolCalls("", done.toolCalls()));
                conversation.add(LlmMessage.toolResults(done.toolCalls().stream()
                        .map(c -> LlmToolResult.json(c.id(), Map.of("value", 84))).toList()));
                done = (LlmEvent.Completed) run(gateway, request.withMessages(conversation), new ArrayList<>());
                rounds++;
            }
            assertThat(rounds).isEqualTo(2);
            assertThat(done.stopReason()).isEqualTo(StopReason.END_TURN);
            assertThat(done.toolCalls()).isEmpty();
        }
    }

    @Test
    void sends_tool_calls_and_results_back_in_the_anthropic_format() throws Exception {
        LlmToolCall call = new LlmToolCall("toolu_1", "calculator", CALC);
        LlmToolCall failing = new LlmToolCall("toolu_2", "knowledge_search", SEARCH);
        LlmRequest request = step(CLAUDE, "unused").withMessages(List.of(LlmMessage.user("Step 2"),
                LlmMessage.toolCalls("Let me compute.", List.of(call, failing)),
                LlmMessage.toolResults(LlmToolResult.of("toolu_1", "84"), LlmToolResult.error("toolu_2", "timed out")),
                LlmMessage.user("Use metric units.")))
                .withTools(List.of(SEARCH_TOOL, CALCULATOR), LlmToolChoice.tool("calculator"));
        run(gateway, request, new ArrayList<>());

        JsonNode body = JSON.readTree(mock.received().getLast().body());
        assertThat(body.path("messages")).hasSize(3);
        JsonNode assistant = body.path("messages").path(1);
        assertThat(assistant.path("role").asString("")).isEqualTo("assistant");
        assertThat(JSON.writeValueAsString(assistant.path("content"))).isEqualTo("[{\"type\":\"text\",\"text\":"
                + "\"Let me compute.\"},{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"calculator\",\"input\":"
                + "{\"expression\":\"12 * (3 + 4)\"}},{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":"
                + "\"knowledge_search\",\"input\":{\"query\":\"EU expedited reporting of fatal SUSARs\",\"top_k\":5}}]");
        JsonNode results = body.path("messages").path(2);
        assertThat(results.path("role").asString("")).isEqualTo("user");
        assertThat(JSON.writeValueAsString(results.path("content"))).isEqualTo("[{\"type\":\"tool_result\","
                + "\"tool_use_id\":\"toolu_1\",\"content\":\"84\"},{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_2\","
                + "\"content\":\"timed out\",\"is_error\":true},{\"type\":\"text\",\"text\":\"Use metric units.\"}]");
        assertThat(body.path("tools")).hasSize(2);
        assertThat(body.path("tools").path(1).path("name").asString("")).isEqualTo("calculator");
        assertThat(body.path("tools").path(1).path("input_schema").path("required").path(0).asString(""))
                .isEqualTo("expression");
        assertThat(JSON.writeValueAsString(body.path("tool_choice"))).isEqualTo("{\"type\":\"tool\",\"name\":\"calculator\"}");
    }

    @Test
    void sends_tool_calls_and_results_back_in_the_openai_format() throws Exception {
        LlmToolCall call = new LlmToolCall("call_1", "calculator", CALC);
        LlmToolCall failing = new LlmToolCall("call_2", "knowledge_search", SEARCH);
        LlmRequest request = step(GPT, "unused").withMessages(List.of(LlmMessage.user("Step 2"),
                LlmMessage.toolCalls("", List.of(call, failing)),
                LlmMessage.toolResults(LlmToolResult.of("call_1", "84"), LlmToolResult.error("call_2", "timed out"))))
                .withTools(List.of(SEARCH_TOOL, CALCULATOR), LlmToolChoice.ANY);
        run(gateway, request, new ArrayList<>());

        JsonNode body = JSON.readTree(mock.received().getLast().body());
        JsonNode messages = body.path("messages");
        assertThat(messages).hasSize(5);
        assertThat(messages.path(0).path("role").asString("")).isEqualTo("system");
        assertThat(JSON.writeValueAsString(messages.path(2))).isEqualTo("{\"role\":\"assistant\",\"content\":null,"
                + "\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"calculator\","
                + "\"arguments\":\"{\\\"expression\\\":\\\"12 * (3 + 4)\\\"}\"}},{\"id\":\"call_2\",\"type\":\"function\","
                + "\"function\":{\"name\":\"knowledge_search\",\"arguments\":\"{\\\"query\\\":\\\"EU expedited reporting "
                + "of fatal SUSARs\\\",\\\"top_k\\\":5}\"}}]}");
        assertThat(JSON.writeValueAsString(messages.path(3)))
                .isEqualTo("{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"84\"}");
        assertThat(JSON.writeValueAsString(messages.path(4)))
                .isEqualTo("{\"role\":\"tool\",\"tool_call_id\":\"call_2\",\"content\":\"Error: timed out\"}");
        assertThat(body.path("tools").path(0).path("type").asString("")).isEqualTo("function");
        assertThat(body.path("tools").path(0).path("function").path("parameters").path("type").asString(""))
                .isEqualTo("object");
        assertThat(body.path("tool_choice").asString("")).isEqualTo("required");
    }

    @Test
    void a_request_without_tools_sends_the_same_bytes_as_before_tool_calling() throws Exception {
        run(gateway, LlmRequest.of(CLAUDE, "You are a regulatory expert.", "What is an IND?", 1024), new ArrayList<>());
        run(gateway, LlmRequest.of(GPT, "You are a regulatory expert.", "What is an IND?", 1024), new ArrayList<>());

        assertThat(mock.received()).extracting(MockLlmServer.Received::body).containsExactly(
                "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":1024,\"temperature\":0.2,\"system\":[{\"type\":"
                        + "\"text\",\"text\":\"You are a regulatory expert.\",\"cache_control\":{\"type\":\"ephemeral\"}}],"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"What is an IND?\"}],\"stream\":true}",
                "{\"model\":\"gpt-4o-mini\",\"max_tokens\":1024,\"temperature\":0.2,\"messages\":[{\"role\":\"system\","
                        + "\"content\":\"You are a regulatory expert.\"},{\"role\":\"user\",\"content\":\"What is an IND?\"}],"
                        + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {CLAUDE, GPT})
    void a_stream_cut_while_arguments_stream_fails_with_partial_usage_and_no_call(String model) throws Exception {
        mock.scenario(MockScenario.reply(MockReply.toolCalls(MockReply.call("calculator", CALC),
                MockReply.call("knowledge_search", SEARCH))).withFault("cut-after-9"));
        List<LlmEvent> events = new ArrayList<>();
        LlmEvent.Failed failed = (LlmEvent.Failed) run(gateway, step(model, "Step 1"), events);

        assertThat(failed.failure().kind()).isEqualTo(LlmFailure.Kind.STREAM_CUT);
        assertThat(failed.beforeFirstToken()).isFalse();
        // The JDK client drops what was still in flight at the cut, so only a lower bound holds.
        assertThat(failed.partialUsage().outputTokens()).isPositive();
        if (model.equals(CLAUDE)) {
            // message_start reports the input; OpenAI reports usage only in its last chunk, which a cut never sends.
            assertThat(failed.partialUsage().inputTokens()).isPositive();
        }
        // The first call (five fragments) was whole by the sixth frame; the second was cut inside its
        // input and never surfaced.
        assertThat(events.getLast()).isSameAs(failed);
        assertThat(events).filteredOn(e -> e instanceof LlmEvent.ToolCallRequested)
                .extracting(e -> ((LlmEvent.ToolCallRequested) e).call().name()).isSubsetOf("calculator");
        assertThat(mock.stats().requests()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {CLAUDE, GPT})
    void retries_before_the_first_fragment_still_end_with_the_tool_call(String model) throws Exception {
        mock.scenario(MockScenario.reply(MockReply.toolCall("calculator", CALC)).withFault("500"),
                MockScenario.reply(MockReply.toolCall("calculator", CALC)).withFault("429:0"),
                MockScenario.reply(MockReply.toolCall("calculator", CALC)));
        LlmGateway patient = new LlmGateway(LlmTestSettings.against(mock.baseUri(), mock.openAiBaseUri()).withRetries(2)
                .build(), PRICES, new SimpleMeterRegistry());
        try {
            LlmEvent.Completed first = (LlmEvent.Completed) run(patient, step(model, "Step 1"), new ArrayList<>());
            assertThat(first.toolCalls()).extracting(LlmToolCall::input).containsExactly(CALC);
            assertThat(mock.stats().byFault()).containsEntry("500", 1L).containsEntry("429", 1L)
                    .containsEntry("ok", 1L);
        } finally {
            patient.close();
        }
    }

    @Test
    void falls_back_after_a_first_token_timeout_and_gets_the_tool_call_from_the_other_provider() throws Exception {
        mock.scenario(MockScenario.reply(MockReply.toolCall("calculator", CALC)).withFault("stall-first").forModel(CLAUDE),
                MockScenario.reply(MockReply.toolCall("calculator", CALC)).forModel(GPT));
        LlmGateway withFallback = new LlmGateway(LlmTestSettings.against(mock.baseUri(), mock.openAiBaseUri())
                .withRetries(0).withFallback("openai:" + GPT).build(), PRICES, new SimpleMeterRegistry());
        try {
            LlmEvent.Completed done = (LlmEvent.Completed) run(withFallback, step(CLAUDE, "Step 1"), new ArrayList<>());
            assertThat(done.provider()).isEqualTo("openai");
            assertThat(done.toolCalls()).extracting(LlmToolCall::id).singleElement().asString().startsWith("call_mock_");
            // The fallback got the same tools in its own format.
            JsonNode sent = JSON.readTree(mock.received().getLast().body());
            assertThat(sent.path("tools").path(1).path("function").path("name").asString("")).isEqualTo("calculator");
        } finally {
            withFallback.close();
        }
    }

    @Test
    void cancel_while_arguments_stream_reports_partial_usage() throws Exception {
        mock.close();
        mock = MockLlmServer.start(MockLlmConfig.forTests().withTiming(Duration.ofMillis(5), 20, 8));
        gateway.close();
        gateway = new LlmGateway(LlmTestSettings.against(mock.baseUri(), mock.openAiBaseUri()).build(), PRICES,
                new SimpleMeterRegistry());
        mock.scenario(MockScenario.reply(MockReply.toolCall("knowledge_search", SEARCH)));
        List<LlmEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        LlmCall call = gateway.stream(step(CLAUDE, "Step 1"), events::add);
        await().until(() -> mock.stats().framesSent() >= 2);

        call.cancel();
        LlmEvent.Failed failed = (LlmEvent.Failed) call.terminal().get(10, TimeUnit.SECONDS);
        assertThat(failed.failure().kind()).isEqualTo(LlmFailure.Kind.CANCELLED);
        assertThat(failed.partialUsage().outputTokens()).isGreaterThanOrEqualTo(2);
        assertThat(events).containsExactly(failed);
        await().until(() -> mock.stats().clientClosed() == 1);
    }
}
