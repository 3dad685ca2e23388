package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** {@code FF_MODE4_ENABLED=false}: every mode 4 route is 403 FORBIDDEN, before its body is read; its health says disabled. */
class Mode4DisabledIT extends Mode4Fixture {

    @DynamicPropertySource
    static void disabled(DynamicPropertyRegistry registry) {
        common(registry);
        registry.add("ask-expert.features.mode4-enabled", () -> "false");
    }

    @Test
    void every_mode4_route_is_forbidden_and_health_says_disabled() throws Exception {
        String id = UUID.randomUUID().toString();
        String goal = JSON.writeValueAsString(Map.of("goal", GOAL));
        List<String[]> routes = List.of(
                new String[] {"POST", "/api/v1/expert/mode4/mission/create", goal},
                new String[] {"POST", "/api/v1/expert/mode4/mission/create", "{not json"},
                new String[] {"POST", "/api/v1/expert/mode4/mission/" + id + "/preflight", null},
                new String[] {"POST", "/api/v1/expert/mode4/stream", "{\"mission_id\":\"" + id + "\"}"},
                new String[] {"GET", "/api/v1/expert/mode4/mission/" + id + "/status", null},
                new String[] {"GET", "/api/v1/expert/mode4/missions/history?limit=5", null});
        for (String[] r : routes) {
            HttpResponse<String> response = send(r[0], r[1], bearer(), r[2]);
            assertThat(response.statusCode()).as(r[0] + " " + r[1] + ": " + response.body()).isEqualTo(403);
            JsonNode error = JSON.readTree(response.body()).get("error");
            assertThat(error.get("code").asString()).isEqualTo("FORBIDDEN");
            assertThat(error.get("message").asString()).contains("FF_MODE4_ENABLED");
        }
        HttpResponse<String> health = send("GET", "/api/v1/expert/mode4/health", null, null);
        assertThat(health.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(health.body());
        assertThat(body.get("status").asString()).isEqualTo("disabled");
        assertThat(body.get("features").get("mode4_enabled").asBoolean()).isFalse();
        assertThat(send("GET", "/api/v1/expert/mode3/health", null, null).statusCode()).isEqualTo(200);
    }
}
