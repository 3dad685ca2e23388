package io.askexpert.mockllm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The control endpoints tests and the benchmark use: {@code GET /_mock/stats},
 * {@code POST /_mock/scenarios} (one scenario object or an array of them, see {@link #scenarios}),
 * {@code DELETE /_mock/scenarios}, {@code GET /_mock/requests} (the last model requests received),
 * {@code POST /_mock/reset} (scenarios, counters and received requests).
 */
final class MockControl {

    record Reply(int status, String body) {
    }

    private final MockStats.Counters counters;
    private final MockScript script;
    private final MockRequestLog received;
    private final JsonMapper json;

    MockControl(MockStats.Counters counters, MockScript script, MockRequestLog received, JsonMapper json) {
        this.counters = counters;
        this.script = script;
        this.received = received;
        this.json = json;
    }

    Reply handle(MockRequest request) {
        String route = request.method() + " " + request.path();
        return switch (route) {
            case "GET /_mock/stats" -> new Reply(200, json.writeValueAsString(statsJson(counters.snapshot(script.pending()))));
            case "POST /_mock/scenarios" -> script(request);
            case "DELETE /_mock/scenarios" -> {
                script.clear();
                yield new Reply(200, "{\"pending\":0}");
            }
            case "GET /_mock/requests" -> new Reply(200, json.writeValueAsString(Map.of("requests",
                    received.snapshot().stream().map(r -> Map.of("path", r.path(), "body", json.readTree(r.body())))
                            .toList())));
            case "POST /_mock/reset" -> {
                script.clear();
                received.clear();
                counters.reset();
                yield new Reply(200, "{\"reset\":true}");
            }
            case "GET /health", "GET /" -> new Reply(200, "{\"status\":\"ok\"}");
            default -> new Reply(404, "{\"error\":{\"type\":\"not_found_error\",\"message\":\"no route " + request.path()
                    .replaceAll("[\"\\\\]", "") + "\"}}");
        };
    }

    private Reply script(MockRequest request) {
        List<MockScenario> parsed = new ArrayList<>();
        try {
            JsonNode body = json.readTree(new String(request.body(), StandardCharsets.UTF_8));
            if (body.isArray()) {
                body.forEach(node -> parsed.addAll(scenarios(node)));
            } else {
                parsed.addAll(scenarios(body));
            }
        } catch (IllegalArgumentException e) {
            return new Reply(400, json.writeValueAsString(Map.of("error", e.getMessage())));
        } catch (RuntimeException e) {
            return new Reply(400, "{\"error\":\"body must be a scenario object or an array of them\"}");
        }
        script.add(parsed);
        return new Reply(200, "{\"pending\":" + script.pending() + "}");
    }

    /**
     * One scenario object: {@code {"model"?, "match"?: {"body_contains"?, "last_message_contains"?,
     * "last_message"?: "text"|"tool_result"}, "faults"?: ["429", "ok"], "response"?: {"text"?,
     * "tool_calls"?: [{"id"?, "name", "input"?}]}, "times"?: N, "repeat"?: true}}}. Each fault in
     * {@code faults} becomes its own scenario, in order, with the same match, response and times;
     * without {@code faults} there is one, with fault {@code ok}. Without {@code response} the
     * reply is the filler answer.
     */
    List<MockScenario> scenarios(JsonNode node) {
        JsonNode match = node.path("match");
        MockScenario.Match m = new MockScenario.Match(text(node, "model"), text(match, "body_contains"),
                text(match, "last_message_contains"), lastMessage(text(match, "last_message")));
        MockReply reply = node.has("response") ? reply(node.path("response")) : new MockReply.Filler();
        int times = node.path("repeat").asBoolean(false) ? MockScenario.FOREVER : node.path("times").asInt(1);
        List<String> faults = new ArrayList<>();
        node.path("faults").forEach(f -> faults.add(f.asString("")));
        if (node.has("faults") && faults.isEmpty()) {
            throw new IllegalArgumentException("faults must be a non-empty array");
        }
        if (faults.isEmpty()) {
            faults.add("ok");
        }
        return faults.stream().map(f -> new MockScenario(m, f, reply, times)).toList();
    }

    private MockReply reply(JsonNode response) {
        List<MockReply.ToolCall> calls = new ArrayList<>();
        for (JsonNode call : response.path("tool_calls")) {
            Map<String, @Nullable Object> input = new LinkedHashMap<>();
            call.path("input").properties().forEach(e -> input.put(e.getKey(), json.treeToValue(e.getValue(), Object.class)));
            calls.add(new MockReply.ToolCall(text(call, "id"), call.path("name").asString(""), input));
        }
        return new MockReply.Scripted(response.path("text").asString(""), calls);
    }

    private static @Nullable String text(JsonNode node, String field) {
        String value = node.path(field).asString("");
        return value.isEmpty() ? null : value;
    }

    private static MockScenario.@Nullable LastMessage lastMessage(@Nullable String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "text" -> MockScenario.LastMessage.TEXT;
            case "tool_result" -> MockScenario.LastMessage.TOOL_RESULT;
            default -> throw new IllegalArgumentException("last_message must be text or tool_result, got '"
                    + value.replaceAll("[\"\\\\]", "") + "'");
        };
    }

    static Map<String, Object> statsJson(MockStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests", s.requests());
        m.put("by_fault", s.byFault());
        m.put("active_streams", s.activeStreams());
        m.put("streams_started", s.streamsStarted());
        m.put("streams_completed", s.streamsCompleted());
        m.put("client_closed", s.clientClosed());
        m.put("cut", s.cut());
        m.put("frames_sent", s.framesSent());
        m.put("max_lag_ms", s.maxLagMillis());
        m.put("late_frames", s.lateFrames());
        m.put("scripted_pending", s.scriptedPending());
        return m;
    }
}
