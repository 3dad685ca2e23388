package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestRedis;
import io.askexpert.testsupport.TestService;
import io.askexpert.testsupport.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A mission with no LLM key, on the real engine, PostgreSQL and Redis: it stops at its plan_approval
 * checkpoint, and once approved searches the knowledge base for real and delivers a report that
 * says it is offline, whose citations all point into a Sources list naming each document once
 * (the EU document is split into several passages and found by several searches).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MissionOfflineIT {

    static final String TENANT = "t-mission-offline";
    static final String EXPERT = "mo-pv-expert";
    static final String GOAL = "SUSAR reporting timelines in the EU; IND safety report timelines in the US";

    static final TestPostgres DB = TestPostgres.create();
    static final TestRedis REDIS = TestRedis.create();
    static final Path DATA_DIR = tempDir();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            REDIS.close();
            DB.close();
            org.springframework.util.FileSystemUtils.deleteRecursively(DATA_DIR.toFile());
        }));
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("ask-expert-mission-offline-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DB, DATA_DIR);
        registry.add("ask-expert.database.pool-size", () -> "4");
        registry.add("ask-expert.redis.url", REDIS::url);
        registry.add("ask-expert.starter-catalogue", () -> "false");
        registry.add("ask-expert.knowledge.load-starter", () -> "false");
        registry.add("ask-expert.rate-limits.enabled", () -> "false");
        registry.add("ask-expert.llm.anthropic-api-key", () -> "");
        registry.add("ask-expert.llm.openai-api-key", () -> "");
    }

    @LocalServerPort int port;

    private MissionClient seed() throws Exception {
        MissionClient admin = new MissionClient(port, TENANT, "admin");
        String token = TestTokens.admin(TENANT, "admin");
        MissionClient.ok(admin.send("POST", "/api/v1/expert/agents", token, MissionClient.JSON.writeValueAsString(List.of(
                Map.of("slug", EXPERT, "name", "Pharmacovigilance Expert", "level", 2,
                        "specialty", "expedited safety reporting", "description", "Knows the EU and US rules.",
                        "system_prompt", "You are a pharmacovigilance expert.")))));
        MissionClient.ok(admin.send("POST", "/api/v1/expert/knowledge/documents", token,
                MissionClient.JSON.writeValueAsString(Map.of("documents", List.of(
                        doc("mo-eu", "EU SUSAR reporting", """
                                ## Fatal or life-threatening SUSARs

                                Under the Clinical Trials Regulation the sponsor reports a fatal or life-threatening \
                                SUSAR to EudraVigilance within seven days of becoming aware of it. %s

                                ## Other SUSARs

                                Other SUSAR reports reach EudraVigilance within fifteen days of the sponsor becoming \
                                aware of them, with follow-up information within eight further days. %s
                                """.formatted(filler("EU"), filler("EU"))),
                        doc("mo-us", "US IND safety reports", "Under 21 CFR 312.32 the sponsor submits an IND safety "
                                + "report to FDA within 15 calendar days, and reports unexpected fatal or "
                                + "life-threatening suspected adverse reactions within 7 calendar days. " + filler("US")))))));
        return new MissionClient(port, TENANT, "u-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static String filler(String region) {
        return ("The " + region + " sponsor keeps the safety database current, documents the causality assessment, "
                + "informs the investigators, and the safety reporting timelines are counted in calendar days from "
                + "the day the sponsor first has the minimum information for a valid report. ").repeat(3);
    }

    private static Map<String, Object> doc(String id, String title, String content) {
        return Map.of("external_id", id, "title", title, "content", content, "namespace", "mo-pv",
                "url", "https://example.org/" + id);
    }

    @Test
    void stops_at_plan_approval_then_delivers_a_cited_offline_report_with_unique_sources() throws Exception {
        MissionClient client = seed();
        String id = client.create(GOAL, EXPERT, Map.of("max_steps", 4, "checkpoint_types", List.of("plan_approval")));

        List<StrictSse.Event> first = client.stream(id, 0, e -> e.name().equals("checkpoint"));
        JsonNode checkpoint = first.getLast().json();
        assertThat(checkpoint.get("type").asString()).isEqualTo("plan_approval");
        assertThat(MissionClient.names(first)).containsSubsequence("run", "mission_started", "reasoning", "plan", "checkpoint");
        client.awaitState(id, "waiting_for_human");
        JsonNode waiting = client.status(id);
        assertThat(waiting.get("offline").asBoolean()).isTrue();
        assertThat(waiting.get("plan").get("steps").size()).isBetween(2, 4);

        client.decide(checkpoint.get("id").asString(), "approve", "");
        List<StrictSse.Event> rest = client.stream(id, first.getLast().id(), e -> false);

        assertThat(rest.getLast().name()).isEqualTo("done");
        assertThat(MissionClient.names(rest)).containsSubsequence("step_started", "tool_call", "tool_result",
                "step_completed", "artifact", "mission_completed", "done");
        assertThat(MissionClient.named(rest, "tool_call")).allSatisfy(e ->
                assertThat(e.json().get("tool").asString()).isEqualTo("knowledge_search"));
        JsonNode done = client.status(id);
        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(done.get("offline").asBoolean()).isTrue();
        String report = client.report(done);
        assertThat(report).startsWith("# " + GOAL + "\n\n> **Offline report.**");
        assertThat(report).contains("seven days").contains("15 calendar days");
        List<String> sources = MissionClient.assertSourcesUnique(report);
        assertThat(sources).hasSize(2);
        assertThat(sources).anySatisfy(s -> assertThat(s).contains("EU SUSAR reporting"))
                .anySatisfy(s -> assertThat(s).contains("US IND safety reports"));
        HttpResponse<String> stranger = new MissionClient(port, TENANT, "someone-else").send("GET",
                "/api/v1/expert/mission/status/" + id, TestTokens.bearer(TENANT, "someone-else"), null);
        assertThat(stranger.statusCode()).isEqualTo(404);
    }
}
