package io.askexpert.mockllm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Scripted tool calls on the wire, in both formats, read with a plain HTTP client as a provider's client would. */
class MockToolCallsIT {

    private static final String ANTHROPIC_QUESTION = "{\"model\":\"claude-x\",\"max_tokens\":100,\"stream\":%s,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}";
    private static final String OPENAI_QUESTION = "{\"model\":\"gpt-x\",\"stream\":%s,\"stream_options\":"
            + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private MockLlmServer mock;

    @BeforeEach
    void start() throws Exception {
        mock = MockLlmServer.start(MockLlmConfig.forTests().withTiming(Duration.ofMillis(2), 2000, 5));
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    private String post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(mock.baseUri() + path)).header("x-api-key", "k")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private String anthropic(boolean stream, String question) throws Exception {
        return post("/v1/messages", ANTHROPIC_QUESTION.formatted(stream, question));
    }

    private String openAi(boolean stream, String question) throws Exception {
        return post("/v1/chat/completions", OPENAI_QUESTION.formatted(stream, question));
    }

    /** The data of each SSE event, parsed; OpenAI's {@code [DONE]} is left out. */
    private List<JsonNode> events(String body) {
        List<JsonNode> out = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            for (String line : block.split("\n")) {
                if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                    out.add(json.readTree(line.substring(6)));
                }
            }
        }
        return out;
    }

    private static Map<String, Object> input(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static final Map<String, Object> SEARCH = input("query", "expedited reporting \"SUSAR\" EU", "top_k", 5);
    private static final Map<String, Object> CALC = input("expression", "12 * (3 + 4)");

    @Test
    void anthropic_streams_text_then_two_tool_uses_with_their_input_in_fragments() throws Exception {
        mock.scenario(MockScenario.reply(MockReply.textThenToolCalls("Let me check.",
                MockReply.call("knowledge_search", SEARCH), MockReply.call("calculator", CALC))));
        List<JsonNode> events = events(anthropic(true, "Go"));

        assertThat(events).extracting(e -> e.path("type").asString("")).startsWith("message_start", "ping",
                "content_block_start", "content_block_delta").endsWith("content_block_stop", "message_delta", "message_stop");
        StringBuilder text = new StringBuilder();
        Map<Integer, StringBuilder> inputs = new LinkedHashMap<>();
        Map<Integer, JsonNode> starts = new LinkedHashMap<>();
        int fragments = 0;
        for (JsonNode e : events) {
            int index = e.path("index").asInt(-1);
            switch (e.path("type").asString("")) {
                case "content_block_start" -> starts.put(index, e.path("content_block"));
                case "content_block_delta" -> {
                    JsonNode d = e.path("delta");
                    if (d.path("type").asString("").equals("text_delta")) {
                        text.append(d.path("text").asString(""));
                    } else {
                        assertThat(d.path("type").asString("")).isEqualTo("input_json_delta");
                        inputs.computeIfAbsent(index, i -> new StringBuilder()).append(d.path("partial_json").asString(""));
                        fragments += d.path("partial_json").asString("").isEmpty() ? 0 : 1;
                    }
                }
                default -> { }
            }
        }
        assertThat(text.toString()).isEqualTo("Let me check.");
        assertThat(starts.get(0).path("type").asString("")).isEqualTo("text");
        assertThat(starts.get(1).path("type").asString("")).isEqualTo("tool_use");
        assertThat(starts.get(1).path("name").asString("")).isEqualTo("knowledge_search");
        assertThat(starts.get(1).path("id").asString("")).startsWith("toolu_mock_");
        assertThat(starts.get(2).path("name").asString("")).isEqualTo("calculator");
        assertThat(json.readValue(inputs.get(1).toString(), Map.class)).isEqualTo(SEARCH);
        assertThat(json.readValue(inputs.get(2).toString(), Map.class)).isEqualTo(CALC);
        assertThat(fragments).isGreaterThan(10);
        JsonNode delta = events.get(events.size() - 2);
        assertThat(delta.path("delta").path("stop_reason").asString("")).isEqualTo("tool_use");
        assertThat(delta.path("usage").path("output_tokens").asLong(0)).isEqualTo(3 + fragments);
    }

    @Test
    void openai_streams_tool_calls_as_indexed_argument_fragments_and_finishes_with_tool_calls() throws Exception {
        mock.scenario(MockScenario.reply(MockReply.toolCalls(MockReply.call("knowledge_search", SEARCH),
                new MockReply.ToolCall("call_fixed", "calculator", CALC))));
        List<JsonNode> chunks = events(openAi(true, "Go"));

        JsonNode first = chunks.getFirst().path("choices").path(0).path("delta");
        assertThat(first.path("role").asString("")).isEqualTo("assistant");
        assertThat(first.path("content").isNull()).isTrue();
        Map<Integer, StringBuilder> arguments = new LinkedHashMap<>();
        Map<Integer, String> names = new LinkedHashMap<>();
        Map<Integer, String> ids = new LinkedHashMap<>();
        String finish = null;
        for (JsonNode chunk : chunks) {
            for (JsonNode choice : chunk.path("choices")) {
                for (JsonNode call : choice.path("delta").path("tool_calls")) {
                    int i = call.path("index").asInt();
                    if (call.has("id")) {
                        ids.put(i, call.path("id").asString(""));
                        names.put(i, call.path("function").path("name").asString(""));
                        assertThat(call.path("type").asString("")).isEqualTo("function");
                    }
                    arguments.computeIfAbsent(i, k -> new StringBuilder())
                            .append(call.path("function").path("arguments").asString(""));
                }
                if (!choice.path("finish_reason").isNull()) {
                    finish = choice.path("finish_reason").asString("");
                }
            }
        }
        assertThat(names).containsExactly(Map.entry(0, "knowledge_search"), Map.entry(1, "calculator"));
        assertThat(ids.get(0)).startsWith("call_mock_");
        assertThat(ids.get(1)).isEqualTo("call_fixed");
        assertThat(json.readValue(arguments.get(0).toString(), Map.class)).isEqualTo(SEARCH);
        assertThat(json.readValue(arguments.get(1).toString(), Map.class)).isEqualTo(CALC);
        assertThat(finish).isEqualTo("tool_calls");
        JsonNode usage = chunks.getLast();
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.path("usage").path("completion_tokens").asLong(0)).isGreaterThan(10);
    }

    @Test
    void non_streamed_answers_carry_the_tool_calls_whole() throws Exception {
        mock.scenario(MockScenario.reply(MockReply.textThenToolCalls("Checking.", MockReply.call("calculator", CALC)))
                .times(2));
        JsonNode message = json.readTree(anthropic(false, "Go"));
        assertThat(message.path("stop_reason").asString("")).isEqualTo("tool_use");
        assertThat(message.path("content").path(0).path("text").asString("")).isEqualTo("Checking.");
        JsonNode use = message.path("content").path(1);
        assertThat(use.path("type").asString("")).isEqualTo("tool_use");
        assertThat(json.treeToValue(use.path("input"), Map.class)).isEqualTo(CALC);

        JsonNode completion = json.readTree(openAi(false, "Go"));
        JsonNode choice = completion.path("choices").path(0);
        assertThat(choice.path("finish_reason").asString("")).isEqualTo("tool_calls");
        assertThat(choice.path("message").path("content").asString("")).isEqualTo("Checking.");
        JsonNode call = choice.path("message").path("tool_calls").path(0);
        assertThat(call.path("function").path("name").asString("")).isEqualTo("calculator");
        assertThat(json.readValue(call.path("function").path("arguments").asString(""), Map.class)).isEqualTo(CALC);
        assertThat(completion.path("usage").path("completion_tokens").asLong(0)).isPositive();
    }

    @Test
    void answers_depend_on_the_request_however_often_it_is_sent() throws Exception {
        post("/_mock/scenarios", """
                [{"match": {"last_message_contains": "Step 2"}, "repeat": true,
                  "response": {"tool_calls": [{"name": "calculator", "input": {"expression": "2+2"}}]}},
                 {"match": {"last_message": "tool_result"}, "repeat": true, "response": {"text": "It is 4."}},
                 {"match": {"last_message_contains": "Step 3"}, "times": 2, "response": {"text": "Done twice."}}]""");
        for (int i = 0; i < 3; i++) {
            assertThat(openAi(false, "Step 2: compute")).contains("\"finish_reason\":\"tool_calls\"");
            assertThat(anthropic(false, "Step 2: compute")).contains("\"stop_reason\":\"tool_use\"");
        }
        String toolResult = "{\"model\":\"m\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Step 2\"},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"calculator\","
                + "\"input\":{}}]},{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\","
                + "\"content\":\"4\"}]}]}";
        assertThat(json.readTree(post("/v1/messages", toolResult)).path("content").path(0).path("text").asString(""))
                .isEqualTo("It is 4.");
        String openAiToolResult = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Step 2\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"calculator\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"4\"}]}";
        assertThat(json.readTree(post("/v1/chat/completions", openAiToolResult)).path("choices").path(0)
                .path("message").path("content").asString("")).isEqualTo("It is 4.");
        assertThat(anthropic(false, "Step 3")).contains("Done twice.");
        assertThat(anthropic(false, "Step 3")).contains("Done twice.");
        assertThat(anthropic(false, "Step 3")).contains("Regulatory guidance");
        assertThat(mock.stats().scriptedPending()).isEqualTo(2);
    }

    @Test
    void faults_apply_to_tool_call_replies_in_order() throws Exception {
        post("/_mock/scenarios", """
                {"match": {"body_contains": "fragile"}, "faults": ["503", "cut-after-4", "ok"],
                 "response": {"tool_calls": [{"name": "knowledge_search", "input": {"query": "a long enough query"}}]}}""");
        HttpResponse<String> unavailable = http.send(HttpRequest.newBuilder(URI.create(mock.baseUri() + "/v1/messages"))
                .header("x-api-key", "k").POST(HttpRequest.BodyPublishers.ofString(ANTHROPIC_QUESTION.formatted(true,
                        "fragile"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unavailable.statusCode()).isEqualTo(503);

        String body = ANTHROPIC_QUESTION.formatted(true, "fragile");
        String received;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", mock.port())) {
            socket.getOutputStream().write(("POST /v1/messages HTTP/1.1\r\nhost: x\r\nx-api-key: k\r\ncontent-length: "
                    + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            received = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(received).contains("\"type\":\"tool_use\"").doesNotContain("message_stop");
        assertThat(received.split("\"partial_json\":\"[^\"]", -1)).hasSize(5);
        assertThat(anthropic(true, "fragile")).contains("\"stop_reason\":\"tool_use\"");
        assertThat(mock.stats().byFault()).containsEntry("503", 1L).containsEntry("cut-after", 1L);
    }

    @Test
    void records_the_requests_it_received() throws Exception {
        openAi(false, "first");
        anthropic(false, "second");
        assertThat(mock.received()).extracting(MockLlmServer.Received::path)
                .containsExactly("/v1/chat/completions", "/v1/messages");
        assertThat(mock.received().getLast().body()).contains("second");
        JsonNode listed = json.readTree(http.send(HttpRequest.newBuilder(URI.create(mock.baseUri() + "/_mock/requests"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(listed.path("requests").path(0).path("body").path("messages").path(0).path("content").asString(""))
                .isEqualTo("first");
        post("/_mock/reset", "");
        assertThat(mock.received()).isEmpty();
    }

    @Test
    void refuses_a_scenario_it_cannot_play() throws Exception {
        assertThat(post("/_mock/scenarios", "{\"response\":{\"tool_calls\":[{\"input\":{}}]}}")).contains("needs a name");
        assertThat(post("/_mock/scenarios", "{\"match\":{\"last_message\":\"assistant\"}}")).contains("last_message");
        assertThat(post("/_mock/scenarios", "{\"faults\":[\"teapot\"]}")).contains("unknown fault");
        assertThat(mock.stats().scriptedPending()).isZero();
    }
}
