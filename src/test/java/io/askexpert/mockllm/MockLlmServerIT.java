package io.askexpert.mockllm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The mock's bytes on the wire, read with a plain HTTP client, as a provider's client would. */
class MockLlmServerIT {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private MockLlmServer mock;

    @BeforeEach
    void start() throws Exception {
        mock = MockLlmServer.start(MockLlmConfig.forTests().withTiming(java.time.Duration.ofMillis(5), 1000, 5)
                .withCacheTokens(11, 4));
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mock.baseUri() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> anthropic(String model, boolean stream) throws Exception {
        return post("/v1/messages", "{\"model\":\"" + model + "\",\"max_tokens\":100,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"What is an IND?\"}]}", "x-api-key", "k",
                "anthropic-version", "2023-06-01");
    }

    /** (event name, data) pairs of an SSE body; the name is empty for unnamed events. */
    private static List<String[]> events(String body) {
        assertThat(body).doesNotContain("\r");
        List<String[]> out = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            String name = "";
            String data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    assertThat(data).as("one data line per event").isNull();
                    data = line.substring(6);
                }
            }
            if (data != null) {
                out.add(new String[] {name, data});
            }
        }
        return out;
    }

    @Test
    void streams_the_anthropic_messages_event_sequence_with_usage() throws Exception {
        HttpResponse<String> r = anthropic("claude-sonnet-4-20250514", true);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        List<String[]> events = events(r.body());
        assertThat(events).extracting(e -> e[0]).containsExactly("message_start", "content_block_start", "ping",
                "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        for (String[] e : events) {
            assertThat(json.readTree(e[1]).path("type").asString("")).isEqualTo(e[0]);
        }
        JsonNode start = json.readTree(events.getFirst()[1]).path("message");
        assertThat(start.path("model").asString("")).isEqualTo("claude-sonnet-4-20250514");
        assertThat(start.path("usage").path("cache_read_input_tokens").asLong(0)).isEqualTo(11);
        assertThat(start.path("usage").path("cache_creation_input_tokens").asLong(0)).isEqualTo(4);
        JsonNode delta = json.readTree(events.get(9)[1]);
        assertThat(delta.path("usage").path("output_tokens").asLong(0)).isEqualTo(5);
        assertThat(delta.path("delta").path("stop_reason").asString("")).isEqualTo("end_turn");
    }

    @Test
    void streams_openai_chunks_with_the_usage_chunk_and_done() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"Hi there\"}]}");
        List<String[]> events = events(r.body());
        assertThat(events.getLast()[1]).isEqualTo("[DONE]");
        assertThat(events).allSatisfy(e -> assertThat(e[0]).isEmpty());
        JsonNode role = json.readTree(events.getFirst()[1]);
        assertThat(role.path("choices").path(0).path("delta").path("role").asString("")).isEqualTo("assistant");
        JsonNode finish = json.readTree(events.get(events.size() - 3)[1]);
        assertThat(finish.path("choices").path(0).path("finish_reason").asString("")).isEqualTo("stop");
        JsonNode usage = json.readTree(events.get(events.size() - 2)[1]);
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.path("usage").path("completion_tokens").asLong(0)).isEqualTo(5);
        assertThat(usage.path("usage").path("prompt_tokens_details").path("cached_tokens").asLong(0)).isEqualTo(11);
        assertThat(usage.path("usage").path("prompt_tokens").asLong(0)).isGreaterThan(11);
        assertThat(events).hasSize(1 + 5 + 1 + 1 + 1);
    }

    @Test
    void answers_non_streamed_requests_with_one_json_document() throws Exception {
        JsonNode message = json.readTree(anthropic("claude-haiku-4-5", false).body());
        assertThat(message.path("type").asString("")).isEqualTo("message");
        assertThat(message.path("content").path(0).path("text").asString("")).startsWith("Regulatory guidance");
        assertThat(message.path("usage").path("output_tokens").asLong(0)).isEqualTo(5);

        JsonNode completion = json.readTree(post("/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}").body());
        assertThat(completion.path("object").asString("")).isEqualTo("chat.completion");
        assertThat(completion.path("usage").path("completion_tokens").asLong(0)).isEqualTo(5);
    }

    @Test
    void faults_by_model_name_and_by_script_through_the_control_endpoint() throws Exception {
        HttpResponse<String> limited = anthropic("mock-429", true);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).hasValue("1");
        assertThat(json.readTree(limited.body()).path("error").path("type").asString("")).isEqualTo("rate_limit_error");

        HttpResponse<String> scripted = post("/_mock/scenarios", "{\"model\":\"claude-x\",\"faults\":[\"503\",\"ok\"]}");
        assertThat(scripted.statusCode()).isEqualTo(200);
        assertThat(anthropic("claude-x", false).statusCode()).isEqualTo(503);
        assertThat(anthropic("claude-x", false).statusCode()).isEqualTo(200);
        assertThat(post("/_mock/scenarios", "{\"faults\":[\"teapot\"]}").statusCode()).isEqualTo(400);

        JsonNode stats = json.readTree(http.send(HttpRequest.newBuilder(URI.create(mock.baseUri() + "/_mock/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(stats.path("requests").asLong(0)).isEqualTo(3);
        assertThat(stats.path("by_fault").path("503").asLong(0)).isEqualTo(1);
        assertThat(stats.path("active_streams").asLong(-1)).isZero();
    }

    @Test
    void a_cut_stream_ends_without_its_final_events() throws Exception {
        String body = "{\"model\":\"mock-cut-after-2\",\"max_tokens\":100,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        String received;
        // A raw socket reads every byte up to the close, which a buffering HTTP client may drop on the error.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", mock.port())) {
            socket.getOutputStream().write(("POST /v1/messages HTTP/1.1\r\nhost: x\r\nx-api-key: k\r\n"
                    + "content-length: " + body.length() + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            received = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(received.split("event: content_block_delta", -1)).hasSize(3);
        assertThat(received).doesNotContain("message_stop").doesNotEndWith("0\r\n\r\n");
        assertThat(mock.stats().cut()).isEqualTo(1);
    }

    @Test
    void refuses_an_anthropic_request_without_a_key() throws Exception {
        HttpResponse<String> r = post("/v1/messages", "{\"model\":\"claude-x\",\"max_tokens\":10,\"messages\":[]}");
        assertThat(r.statusCode()).isEqualTo(401);
    }
}
