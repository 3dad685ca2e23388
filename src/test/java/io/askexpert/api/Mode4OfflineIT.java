package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.StrictSse;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Mode 4 without an LLM key: the team still works in parallel from its knowledge, and the report says it is offline. */
class Mode4OfflineIT extends Mode4Fixture {

    @DynamicPropertySource
    static void keyless(DynamicPropertyRegistry registry) {
        common(registry);
        registry.add("ask-expert.llm.anthropic-api-key", () -> "");
        registry.add("ask-expert.llm.openai-api-key", () -> "");
    }

    @Test
    void an_offline_team_delivers_a_labelled_report_with_a_section_per_member() throws Exception {
        String id = create(Map.of("max_team_size", 3)).get("mission_id").asString();
        List<StrictSse.Event> events = stream(id, e -> { });
        List<String> names = names(events);
        assertThat(names.subList(0, 4)).containsExactly("run", "preflight", "team_assembly", "mission_started");
        assertThat(names.getLast()).as(events.getLast().data()).isEqualTo("done");
        assertThat(names.stream().filter("delegation"::equals).count()).isEqualTo(3);
        JsonNode done = status(id);
        assertThat(done.get("offline").asBoolean()).isTrue();
        HttpResponse<String> report = send("GET", done.get("artifacts").get(0).get("download_url").asString(), bearer(), null);
        String md = report.body();
        assertThat(md).contains("Offline report");
        for (String name : List.of("Safety Reporting Expert", "Labelling Expert", "Inspection Readiness Expert")) {
            assertThat(md).contains("*Author: " + name + " (");
        }
        assertThat(md).contains("## Sources");
    }
}
