package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestRedis;
import io.askexpert.testsupport.TestTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One full service for the mode 4 ITs: real PostgreSQL and Redis, both providers pointed at a mock
 * LLM whose every request takes about a second (so parallel work is measurable and a working team is
 * seen working), three experts of one tenant with a knowledge namespace each, and a private expert of
 * another tenant. Each test uses its own user, so its missions and history are its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class Mode4Fixture {

    static final String TENANT = "t-mode4";
    static final String OTHER_TENANT = "t-mode4-other";
    static final String OTHER_PRIVATE = "m4-other-private-expert";
    static final String GOAL = "Prepare the expedited safety reporting, labelling and inspection readiness plan "
            + "for our oncology trial in the US and the EU";
    static final List<String> TEAM = List.of("m4-safety-expert", "m4-labelling-expert", "m4-inspection-expert");
    /** The mock's delay before the first token of every answer. */
    static final Duration DELAY = Duration.ofMillis(1_200);

    static final TestPostgres DB = TestPostgres.create();
    static final TestRedis REDIS = TestRedis.create();
    static final MockLlmServer MOCK = FixtureSupport.startMock(MockLlmConfig.forTests().withTiming(DELAY, 400, 40));
    static final Path DATA_DIR = FixtureSupport.tempDir("ask-expert-mode4-");
    /** The contexts (by port) whose catalogue and knowledge are seeded. */
    private static final java.util.Set<Integer> SEEDED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        FixtureSupport.closeAtExit(DATA_DIR, MOCK, REDIS, DB);
    }

    /** The service's properties; each IT registers them from its own {@code @DynamicPropertySource}. */
    static void common(DynamicPropertyRegistry registry) {
        // A data directory per context: two contexts of one test run must not share a local index.
        FixtureSupport.mockLlmService(registry, DB, REDIS, MOCK, dataDir());
        registry.add("ask-expert.database.pool-size", () -> "8");
        registry.add("ask-expert.knowledge.load-starter", () -> "false");
        registry.add("ask-expert.missions.lease-ttl", () -> "3");
        registry.add("ask-expert.missions.sweep-interval", () -> "200");
        registry.add("ask-expert.missions.queued-grace", () -> "600");
        registry.add("ask-expert.runs.heartbeat-interval", () -> "2s");
        registry.add("ask-expert.outbound.allowed-hosts", () -> "127.0.0.1");
        registry.add("ask-expert.mcp.stdio-enabled", () -> "true");
        registry.add("ask-expert.webhooks.backoff", () -> "100ms");
        registry.add("ask-expert.webhooks.poll-interval", () -> "200ms");
    }

    @LocalServerPort int port;
    final HttpClient http = HttpClient.newHttpClient();
    final String user = "u-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void seed() throws Exception {
        MOCK.resetScript();
        if (SEEDED.contains(port)) {
            return;
        }
        String admin = TestTokens.admin(TENANT, "admin");
        List<Map<String, Object>> experts = List.of(
                expert(TEAM.get(0), "Safety Reporting Expert", "expedited safety reporting SUSAR IND safety reports",
                        "m4-safety"),
                expert(TEAM.get(1), "Labelling Expert", "oncology labelling and prescribing information", "m4-label"),
                expert(TEAM.get(2), "Inspection Readiness Expert", "GCP inspection readiness for oncology trials",
                        "m4-inspect"));
        ok(send("POST", "/api/v1/expert/agents", admin, JSON.writeValueAsString(experts)));
        ok(send("POST", "/api/v1/expert/knowledge/documents", admin, JSON.writeValueAsString(Map.of("documents", List.of(
                doc("m4-safety", "US IND safety reports", "Under 21 CFR 312.32 the sponsor reports a serious and "
                        + "unexpected suspected adverse reaction to FDA within 15 calendar days; fatal or life-threatening "
                        + "ones within 7 calendar days."),
                doc("m4-label", "Oncology labelling", "The prescribing information of an oncology product states the "
                        + "boxed warning, dosing and the adverse reactions table in a fixed order."),
                doc("m4-inspect", "GCP inspection readiness", "Inspection readiness for an oncology trial means the "
                        + "trial master file is complete and the safety reporting timelines can be shown to inspectors."))))));
        String otherAdmin = TestTokens.admin(OTHER_TENANT, "admin");
        ok(send("POST", "/api/v1/expert/agents", otherAdmin, JSON.writeValueAsString(List.of(expert(OTHER_PRIVATE,
                "Other Tenant's Safety Expert", "expedited safety reporting for another company", "m4-other")))));
        SEEDED.add(port);
    }

    private static Path dataDir() {
        try {
            return Files.createTempDirectory(DATA_DIR, "context-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> expert(String slug, String name, String specialty, String namespace) {
        return FixtureSupport.expert(slug, name, specialty, "Knows " + specialty + ".",
                "You are the " + name + ". Answer from the numbered sources and cite them.", namespace,
                "claude-sonnet-4-20250514");
    }

    private static Map<String, Object> doc(String namespace, String title, String content) {
        return FixtureSupport.document(namespace, namespace + "-doc", "https://example.org/" + namespace, title, content);
    }

    String bearer() {
        return TestTokens.bearer(TENANT, user);
    }

    HttpResponse<String> send(String method, String path, @Nullable String authorization, @Nullable String body)
            throws Exception {
        return MissionClient.send(http, port, method, path, authorization, body);
    }

    JsonNode ok(HttpResponse<String> response) {
        return MissionClient.ok(response);
    }

    /** Creates a mode 4 mission; returns the create answer. */
    JsonNode create(Map<String, Object> options) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/expert/mode4/mission/create", bearer(),
                JSON.writeValueAsString(Map.of("goal", GOAL, "title", "Oncology trial readiness", "options", options)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body());
    }

    JsonNode status(String missionId) throws Exception {
        return ok(send("GET", "/api/v1/expert/mode4/mission/" + missionId + "/status", bearer(), null));
    }

    /** Streams the mission to its terminal event, handing each event to {@code each} as it arrives. */
    List<StrictSse.Event> stream(String missionId, Consumer<StrictSse.Event> each) throws Exception {
        return stream(missionId, each, e -> false);
    }

    /** Streams the mission until {@code stop} accepts an event or the terminal event; then hangs up. */
    List<StrictSse.Event> stream(String missionId, Consumer<StrictSse.Event> each,
                                 java.util.function.Predicate<StrictSse.Event> stop) throws Exception {
        HttpResponse<InputStream> response = MissionClient.openStream(http, port, "/api/v1/expert/mode4/stream", bearer(),
                missionId, 0);
        assertThat(response.statusCode()).isEqualTo(200);
        return MissionClient.read(response, each, stop, 120);
    }

    static List<String> names(List<StrictSse.Event> events) {
        return MissionClient.names(events);
    }
}
