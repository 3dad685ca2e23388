package io.askexpert.mockllm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The control endpoints tests and the benchmark use: {@code GET /_mock/stats},
 * {@code POST /_mock/scenarios} {@code {"model"?, "faults": ["429", "ok"]}},
 * {@code DELETE /_mock/scenarios}, {@code POST /_mock/reset}.
 */
final class MockControl {

    record Reply(int status, String body) {
    }

    private final MockStats.Counters counters;
    private final FaultPlan plan;
    private final JsonMapper json;

    MockControl(MockStats.Counters counters, FaultPlan plan, JsonMapper json) {
        this.counters = counters;
        this.plan = plan;
        this.json = json;
    }

    Reply handle(MockRequest request) {
        String route = request.method() + " " + request.path();
        return switch (route) {
            case "GET /_mock/stats" -> new Reply(200, json.writeValueAsString(statsJson(counters.snapshot(plan.pending()))));
            case "POST /_mock/scenarios" -> script(request);
            case "DELETE /_mock/scenarios" -> {
                plan.clear();
                yield new Reply(200, "{\"pending\":0}");
            }
            case "POST /_mock/reset" -> {
                plan.clear();
                counters.reset();
                yield new Reply(200, "{\"reset\":true}");
            }
            case "GET /health", "GET /" -> new Reply(200, "{\"status\":\"ok\"}");
            default -> new Reply(404, "{\"error\":{\"type\":\"not_found_error\",\"message\":\"no route " + request.path()
                    .replaceAll("[\"\\\\]", "") + "\"}}");
        };
    }

    private Reply script(MockRequest request) {
        try {
            JsonNode body = json.readTree(new String(request.body(), StandardCharsets.UTF_8));
            List<Fault> faults = new ArrayList<>();
            for (JsonNode spec : body.path("faults")) {
                Optional<Fault> fault = Fault.parse(spec.asString(""));
                if (fault.isEmpty()) {
                    return new Reply(400, "{\"error\":\"unknown fault '" + spec.asString("").replaceAll("[\"\\\\]", "")
                            + "' (ok, 429, 429:N, 5xx, stall-first, stall-after-N, cut-after-N)\"}");
                }
                faults.add(fault.get());
            }
            if (faults.isEmpty()) {
                return new Reply(400, "{\"error\":\"faults must be a non-empty array\"}");
            }
            String model = body.path("model").asString("");
            plan.add(model.isEmpty() ? null : model, faults);
            return new Reply(200, "{\"pending\":" + plan.pending() + "}");
        } catch (RuntimeException e) {
            return new Reply(400, "{\"error\":\"body must be JSON {model?, faults[]}\"}");
        }
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
