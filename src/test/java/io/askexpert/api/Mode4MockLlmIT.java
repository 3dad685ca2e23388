package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestTokens;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Mode 4 end to end on the mock LLM: a team of three assembled through fusion, their sub-tasks run at
 * the same time (measured from the recorded delegations), a report whose sections name their authors
 * and cite their sources; the preflight's refusals; validation; history.
 */
class Mode4MockLlmIT extends Mode4Fixture {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        common(registry);
    }


    @Test
    void a_team_of_three_works_in_parallel_and_delivers_a_report_with_a_section_per_author() throws Exception {
        MOCK.answerWith("The obligation applies within 15 calendar days [1]. Plan the work accordingly [1].");
        JsonNode created = create(Map.of("max_team_size", 3, "priority", "high", "notify_on_completion", true));
        String id = created.get("mission_id").asString();
        assertThat(created.get("team")).hasSize(3);
        assertThat(created.get("team").get(0).get("role").asString()).isEqualTo("lead");
        List<String> slugs = new ArrayList<>();
        created.get("team").forEach(m -> {
            slugs.add(m.get("slug").asString());
            assertThat(m.get("evidence").get("reason").asString()).isNotBlank();
        });
        assertThat(slugs).containsExactlyInAnyOrderElementsOf(TEAM);
        assertThat(created.get("priority").asString()).isEqualTo("high");

        JsonNode preflight = ok(send("POST", "/api/v1/expert/mode4/mission/" + id + "/preflight", bearer(), null));
        assertThat(preflight.get("preflight_passed").asBoolean()).as(preflight.toString()).isTrue();
        List<String> checks = new ArrayList<>();
        preflight.get("checks").forEach(c -> checks.add(c.get("id").asString()));
        assertThat(checks).containsExactly("budget", "tools", "permissions", "context");
        assertThat(preflight.get("estimated_cost_usd").asDouble()).isPositive();
        assertThat(preflight.get("estimated_duration_minutes").asDouble()).isPositive();

        List<JsonNode> working = new CopyOnWriteArrayList<>();
        AtomicBoolean polled = new AtomicBoolean();
        List<StrictSse.Event> events = stream(id, e -> {
            if (e.name().equals("delegation") && polled.compareAndSet(false, true)) {
                try {
                    working.add(status(id));
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }
        });
        List<String> names = names(events);
        assertThat(names.subList(0, 4)).containsExactly("run", "preflight", "team_assembly", "mission_started");
        assertThat(names).contains("plan", "step_progress", "artifact", "notification", "mission_completed");
        assertThat(names.getLast()).isEqualTo("done");
        assertThat(names.stream().filter("delegation"::equals).count()).isEqualTo(3);
        for (String once : List.of("plan", "artifact", "mission_completed")) {
            assertThat(names.stream().filter(once::equals).count()).as(once).isEqualTo(1);
        }
        assertThat(names.stream().filter("step_started"::equals).count()).isEqualTo(3);
        assertThat(names.stream().filter("step_completed"::equals).count()).isEqualTo(3);
        assertThat(names.stream().filter("step_progress"::equals).count()).isEqualTo(3);
        io.askexpert.testsupport.MissionEvents.assertNothingAnnouncedTwice(events, "a team mission");
        StrictSse.Event team = events.stream().filter(e -> e.name().equals("team_assembly")).findFirst().orElseThrow();
        assertThat(team.json().get("team")).hasSize(3);
        assertThat(team.json().get("team").get(0).get("evidence").isObject()).isTrue();

        // While the team worked, the status route showed it working.
        assertThat(working).hasSize(1);
        JsonNode during = working.getFirst();
        assertThat(during.get("team_status")).hasSize(3);
        List<String> states = new ArrayList<>();
        during.get("team_status").forEach(s -> states.add(s.get("status").asString()));
        assertThat(states).as(during.toString()).contains("working");
        assertThat(during.get("status").asString()).isEqualTo("running");

        JsonNode done = status(id);
        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(done.get("artifacts_count").asInt()).isEqualTo(1);
        done.get("team_status").forEach(s -> assertThat(s.get("status").asString()).isEqualTo("completed"));

        // The report: one section per member naming its author, citations, one Sources list.
        String url = done.get("artifacts").get(0).get("download_url").asString();
        HttpResponse<String> report = send("GET", url, bearer(), null);
        assertThat(report.statusCode()).isEqualTo(200);
        String md = report.body();
        for (String name : List.of("Safety Reporting Expert", "Labelling Expert", "Inspection Readiness Expert")) {
            assertThat(md).contains("## " + name + ":").contains("*Author: " + name + " (");
        }
        assertThat(md).contains("## Summary").contains("## Sources").containsPattern("\\[\\d+]");
        assertThat(md).contains("example.org/m4-safety", "example.org/m4-label", "example.org/m4-inspect");

        // The parallel phase took about as long as its longest sub-task, not their sum.
        List<long[]> spans = delegations(id);
        assertThat(spans).hasSize(3);
        long start = spans.stream().mapToLong(s -> s[0]).min().orElseThrow();
        long end = spans.stream().mapToLong(s -> s[0] + s[1]).max().orElseThrow();
        long longest = spans.stream().mapToLong(s -> s[1]).max().orElseThrow();
        long sum = spans.stream().mapToLong(s -> s[1]).sum();
        double ratio = (end - start) / (double) sum;
        System.out.printf("mode 4 parallel phase: wall %d ms, longest sub-task %d ms, sum %d ms, wall/sum %.2f%n",
                end - start, longest, sum, ratio);
        assertThat(ratio).as("wall %d ms against a sum of %d ms", end - start, sum).isLessThan(0.7);
        assertThat(longest).isGreaterThanOrEqualTo(DELAY.toMillis());
    }

    /** Each recorded delegation's start (epoch ms) and duration, from the mission's journal. */
    private static List<long[]> delegations(String missionId) throws Exception {
        List<long[]> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(DB.jdbcUrl());
             PreparedStatement s = c.prepareStatement("select (result->>'startedAtMillis')::bigint, "
                     + "(result->>'durationMs')::bigint from mission_journal where mission_id = ?::uuid and key like "
                     + "'step-%/member'")) {
            s.setString(1, missionId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
        }
        return out;
    }

    @Test
    void preflight_refuses_a_budget_that_cannot_cover_the_estimate_and_the_stream_fails_the_mission() throws Exception {
        String id = create(Map.of("max_team_size", 3, "budget_limit_usd", 0.01)).get("mission_id").asString();
        JsonNode preflight = ok(send("POST", "/api/v1/expert/mode4/mission/" + id + "/preflight", bearer(), null));
        assertThat(preflight.get("preflight_passed").asBoolean()).isFalse();
        JsonNode budget = check(preflight, "budget");
        assertThat(budget.get("status").asString()).isEqualTo("failed");
        assertThat(budget.get("detail").asString()).contains("raise options.budget_limit_usd");
        List<StrictSse.Event> events = stream(id, e -> { });
        assertThat(names(events)).containsExactly("run", "preflight", "error");
        assertThat(events.get(1).json().get("status").asString()).isEqualTo("failed");
        assertThat(events.getLast().json().get("code").asString()).isEqualTo("BUDGET_EXCEEDED");
        JsonNode s = status(id);
        assertThat(s.get("status").asString()).isEqualTo("failed");
        assertThat(s.get("error").get("message").asString()).contains("Preflight failed (budget)");
    }

    @Test
    void preflight_refuses_a_tool_the_tenant_lacks() throws Exception {
        Map<String, Object> crm = expert("m4-crm-expert", "CRM Expert", "customer complaint tickets", "m4-crm");
        crm.put("tools", List.of("mcp__crm__create_ticket"));
        ok(send("POST", "/api/v1/expert/agents", TestTokens.admin(TENANT, "admin"), JSON.writeValueAsString(List.of(crm))));
        String id = create(Map.of("max_team_size", 2, "include_experts", List.of("m4-crm-expert")))
                .get("mission_id").asString();
        JsonNode preflight = ok(send("POST", "/api/v1/expert/mode4/mission/" + id + "/preflight", bearer(), null));
        assertThat(preflight.get("preflight_passed").asBoolean()).isFalse();
        JsonNode tools = check(preflight, "tools");
        assertThat(tools.get("status").asString()).isEqualTo("failed");
        assertThat(tools.get("detail").asString()).contains("mcp__crm__create_ticket", "CRM Expert");
        assertThat(check(preflight, "permissions").get("status").asString()).isEqualTo("passed");
    }

    @Test
    void preflight_refuses_another_tenants_private_expert_on_the_team() throws Exception {
        String id = create(Map.of("max_team_size", 3, "include_experts", List.of(OTHER_PRIVATE)))
                .get("mission_id").asString();
        JsonNode preflight = ok(send("POST", "/api/v1/expert/mode4/mission/" + id + "/preflight", bearer(), null));
        assertThat(preflight.get("preflight_passed").asBoolean()).isFalse();
        JsonNode permissions = check(preflight, "permissions");
        assertThat(permissions.get("status").asString()).isEqualTo("failed");
        assertThat(permissions.get("detail").asString()).contains(OTHER_PRIVATE, "remove");
        List<StrictSse.Event> events = stream(id, e -> { });
        assertThat(events.getLast().json().get("code").asString()).isEqualTo("FORBIDDEN");
        // The other tenant's expert never reaches this tenant's answers.
        assertThat(status(id).toString()).doesNotContain("Other Tenant's Safety Expert");
    }

    private static JsonNode check(JsonNode preflight, String id) {
        for (JsonNode c : preflight.get("checks")) {
            if (c.get("id").asString().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no check " + id + " in " + preflight);
    }

    @Test
    void bad_input_is_a_400_naming_the_field_never_a_500() throws Exception {
        Map<String, Object> cases = new java.util.LinkedHashMap<>();
        cases.put("options.max_team_size", Map.of("goal", GOAL, "options", Map.of("max_team_size", 7)));
        cases.put("options.budget_limit_usd", Map.of("goal", GOAL, "options", Map.of("budget_limit_usd", -1)));
        cases.put("options.priority", Map.of("goal", GOAL, "options", Map.of("priority", "urgent")));
        cases.put("options.checkpoint_auto_timeout_s", Map.of("goal", GOAL, "options", Map.of("checkpoint_auto_timeout_s", 0)));
        cases.put("goal", Map.of("goal", "short"));
        for (Map.Entry<String, Object> c : cases.entrySet()) {
            HttpResponse<String> r = send("POST", "/api/v1/expert/mode4/mission/create", bearer(),
                    JSON.writeValueAsString(c.getValue()));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            JsonNode error = JSON.readTree(r.body()).get("error");
            assertThat(error.get("code").asString()).isEqualTo("VALIDATION_ERROR");
            assertThat(error.get("details").get("field").asString()).isEqualTo(c.getKey());
        }
        HttpResponse<String> wrongType = send("POST", "/api/v1/expert/mode4/mission/create", bearer(),
                "{\"goal\":\"" + GOAL + "\",\"options\":{\"max_team_size\":\"four\"}}");
        assertThat(wrongType.statusCode()).as(wrongType.body()).isEqualTo(400);
        HttpResponse<String> unknown = send("GET", "/api/v1/expert/mode4/mission/" + java.util.UUID.randomUUID()
                + "/status", bearer(), null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        JsonNode defaults = create(Map.of());
        assertThat(defaults.get("priority").asString()).isEqualTo("normal");
        assertThat(defaults.get("team").size()).isBetween(2, 4);
    }

    @Test
    void history_pages_and_filters_by_status() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(create(Map.of("max_team_size", 2)).get("mission_id").asString());
        }
        String failed = create(Map.of("max_team_size", 2, "budget_limit_usd", 0.01)).get("mission_id").asString();
        stream(failed, e -> { });
        JsonNode page1 = ok(send("GET", "/api/v1/expert/mode4/missions/history?limit=2&offset=0", bearer(), null));
        assertThat(page1.get("total").asLong()).isEqualTo(4);
        assertThat(page1.get("missions")).hasSize(2);
        assertThat(page1.get("limit").asInt()).isEqualTo(2);
        JsonNode page3 = ok(send("GET", "/api/v1/expert/mode4/missions/history?limit=2&offset=2", bearer(), null));
        assertThat(page3.get("missions")).hasSize(2);
        assertThat(page3.get("offset").asInt()).isEqualTo(2);
        JsonNode created = ok(send("GET", "/api/v1/expert/mode4/missions/history?status=created", bearer(), null));
        assertThat(created.get("total").asLong()).isEqualTo(3);
        created.get("missions").forEach(m -> {
            assertThat(m.get("status").asString()).isEqualTo("created");
            assertThat(m.get("mode").asInt()).isEqualTo(4);
            assertThat(ids).contains(m.get("mission_id").asString());
        });
        JsonNode failedOnly = ok(send("GET", "/api/v1/expert/mode4/missions/history?status=failed", bearer(), null));
        assertThat(failedOnly.get("total").asLong()).isEqualTo(1);
        assertThat(failedOnly.get("missions").get(0).get("mission_id").asString()).isEqualTo(failed);
        HttpResponse<String> bad = send("GET", "/api/v1/expert/mode4/missions/history?status=lost", bearer(), null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("error").get("details").get("field").asString()).isEqualTo("status");
        assertThat(send("GET", "/api/v1/expert/mode4/missions/history?limit=0", bearer(), null).statusCode()).isEqualTo(400);
    }
}
