package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestRedis;
import io.askexpert.testsupport.TestTokens;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One full service for the mission ITs: real PostgreSQL and Redis, the real executor with both
 * providers pointed at the mock LLM (each call takes a moment, so a mission is seen running),
 * a short lease, fast sweeps and a 2 s heartbeat. One expert and a small knowledge namespace.
 * Each test uses its own user, so its missions and history are its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class MissionFixture {

    static final String TENANT = "t-missions";
    static final String EXPERT = "ms-pv-expert";
    static final String GOAL = "Compile the expedited safety reporting obligations for our oncology programme";

    static final TestPostgres DB = TestPostgres.create();
    static final TestRedis REDIS = TestRedis.create();
    static final MockLlmServer MOCK = FixtureSupport.startMock(
            MockLlmConfig.forTests().withTiming(Duration.ofMillis(250), 400, 80));
    static final Path DATA_DIR = FixtureSupport.tempDir("ask-expert-missions-");
    static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        FixtureSupport.closeAtExit(DATA_DIR, MOCK, REDIS, DB);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FixtureSupport.mockLlmService(registry, DB, REDIS, MOCK, DATA_DIR);
        registry.add("ask-expert.database.pool-size", () -> "6");
        registry.add("ask-expert.knowledge.load-starter", () -> "false");
        registry.add("ask-expert.missions.lease-ttl", () -> "3");
        registry.add("ask-expert.missions.sweep-interval", () -> "200");
        registry.add("ask-expert.missions.queued-grace", () -> "600");
        registry.add("ask-expert.runs.heartbeat-interval", () -> "2s");
    }

    @LocalServerPort int port;
    final HttpClient http = HttpClient.newHttpClient();
    final String user = "u-" + UUID.randomUUID().toString().substring(0, 8);

    private static volatile boolean seeded;

    @BeforeEach
    void seed() throws Exception {
        MOCK.resetScript();
        if (seeded) {
            return;
        }
        FixtureSupport.seed(this::send, TestTokens.admin(TENANT, "admin"), List.of(FixtureSupport.expert(EXPERT,
                        "Pharmacovigilance Expert", "expedited safety reporting", "Knows the EU and US expedited reporting rules.",
                        "You are a pharmacovigilance expert. Answer from the numbered sources.", "ms-pv",
                        "claude-sonnet-4-20250514")),
                List.of(doc("pv-us", "US IND safety reports", "Under 21 CFR 312.32 the sponsor reports a serious and "
                                + "unexpected suspected adverse reaction to FDA within 15 calendar days, and a fatal or "
                                + "life-threatening one within 7 calendar days."),
                        doc("pv-eu", "EU SUSAR reporting", "Under the Clinical Trials Regulation a fatal or "
                                + "life-threatening SUSAR is reported to EudraVigilance within 7 days and other SUSARs "
                                + "within 15 days.")));
        seeded = true;
    }

    private static Map<String, Object> doc(String id, String title, String content) {
        return FixtureSupport.document("ms-pv", id, title, content);
    }

    String bearer() {
        return TestTokens.bearer(TENANT, user);
    }

    HttpResponse<String> send(String method, String path, String authorization, String body) throws Exception {
        return MissionClient.send(http, port, method, path, authorization, body);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, bearer(), body);
    }

    JsonNode ok(HttpResponse<String> response) {
        return MissionClient.ok(response);
    }

    void conflict(HttpResponse<String> response, String code) {
        assertThat(response.statusCode()).as(response.uri() + ": " + response.body()).isEqualTo(409);
        assertThat(JSON.readTree(response.body()).get("error").get("code").asString()).isEqualTo(code);
    }

    /** Creates a mode 3 mission with these options; returns its id. */
    String create(Map<String, Object> options) throws Exception {
        HttpResponse<String> r = post("/api/v1/expert/mode3/mission/create", JSON.writeValueAsString(
                Map.of("goal", GOAL, "agent_id", EXPERT, "options", options)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("status").asString()).isEqualTo("created");
        assertThat(body.get("agent").get("name").asString()).isEqualTo("Pharmacovigilance Expert");
        return body.get("mission_id").asString();
    }

    JsonNode status(String missionId) throws Exception {
        return ok(send("GET", "/api/v1/expert/mission/status/" + missionId, bearer(), null));
    }

    String state(String missionId) throws Exception {
        return status(missionId).get("status").asString();
    }

    void awaitState(String missionId, String expected) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> state(missionId), s -> s.equals(expected));
    }

    /**
     * Streams the mission after {@code lastEventId} until {@code stop} accepts an event or the
     * terminal event; then hangs up (the mission goes on without a client).
     */
    List<StrictSse.Event> stream(String missionId, long lastEventId, Predicate<StrictSse.Event> stop) throws Exception {
        HttpResponse<InputStream> response = MissionClient.openStream(http, port, "/api/v1/expert/mode3/stream", bearer(),
                missionId, lastEventId);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<StrictSse.Event> seen = MissionClient.read(response, e -> { }, stop, 90);
        if (!seen.isEmpty() && lastEventId > 0) {
            assertThat(seen.getFirst().id()).as("a resumed stream continues after Last-Event-ID").isEqualTo(lastEventId + 1);
        }
        return seen;
    }

    static List<String> names(List<StrictSse.Event> events) {
        return MissionClient.names(events);
    }
}
