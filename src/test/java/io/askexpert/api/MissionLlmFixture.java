package io.askexpert.api;


import com.sun.net.httpserver.HttpServer;
import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestRedis;
import io.askexpert.testsupport.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service of its own for the executor's mission ITs: its own PostgreSQL database, Redis index and
 * mock LLM (so no other context's workers take its missions), both providers on the mock, two experts
 * that differ only in their model (Anthropic and OpenAI wire formats), two knowledge documents, and a
 * local webhook on the {@code http_post} allowlist that records each call's {@code Idempotency-Key}
 * and can be made to answer too late.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class MissionLlmFixture {

    static final String TENANT = "t-mission-llm";
    static final String CLAUDE = "claude-sonnet-4-20250514";
    static final String GPT = "gpt-4o-mini";
    static final String CLAUDE_EXPERT = "ml-pv-claude";
    static final String GPT_EXPERT = "ml-pv-gpt";
    static final String GOAL = "Compare the expedited safety reporting timelines in the EU and the US";

    static final TestPostgres DB = TestPostgres.create();
    static final TestRedis REDIS = TestRedis.create();
    static final MockLlmServer MOCK = FixtureSupport.startMock(
            MockLlmConfig.forTests().withTiming(Duration.ofMillis(5), 2000, 40));
    static final Webhook WEBHOOK = Webhook.start();
    static final Path DATA_DIR = FixtureSupport.tempDir("ask-expert-mission-llm-");
    static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        FixtureSupport.closeAtExit(DATA_DIR, MOCK, () -> WEBHOOK.server.stop(0), REDIS, DB);
    }

    /** A webhook that records the Idempotency-Key of each POST; {@code slow} makes it answer after 12 s. */
    record Webhook(HttpServer server, List<String> keys, boolean[] slow) {
        static Webhook start() {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                Webhook hook = new Webhook(server, new CopyOnWriteArrayList<>(), new boolean[1]);
                server.createContext("/hook", exchange -> {
                    hook.keys.add(String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")));
                    exchange.getRequestBody().readAllBytes();
                    if (hook.slow[0]) {
                        try {
                            Thread.sleep(12_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
                server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
                server.start();
                return hook;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FixtureSupport.mockLlmService(registry, DB, REDIS, MOCK, DATA_DIR);
        registry.add("ask-expert.database.pool-size", () -> "5");
        registry.add("ask-expert.knowledge.load-starter", () -> "false");
        registry.add("ask-expert.llm.breaker-window", () -> "1000");
        registry.add("ask-expert.tools.http-allowed-hosts", () -> "127.0.0.1:" + WEBHOOK.server.getAddress().getPort());
        registry.add("ask-expert.outbound.allowed-hosts", () -> "127.0.0.1:" + WEBHOOK.server.getAddress().getPort());
        registry.add("ask-expert.mcp.stdio-enabled", () -> "true");
        registry.add("ask-expert.missions.lease-ttl", () -> "5");
        registry.add("ask-expert.missions.sweep-interval", () -> "200");
        registry.add("ask-expert.runs.heartbeat-interval", () -> "2s");
    }

    @LocalServerPort int port;
    final String user = "u-" + UUID.randomUUID().toString().substring(0, 8);

    private static volatile boolean seeded;

    @BeforeEach
    void seed() throws Exception {
        MOCK.resetScript();
        MOCK.resetStats();
        WEBHOOK.keys.clear();
        WEBHOOK.slow[0] = false;
        if (seeded) {
            return;
        }
        FixtureSupport.seed(this::send, TestTokens.admin(TENANT, "admin"),
                List.of(expert(CLAUDE_EXPERT, CLAUDE), expert(GPT_EXPERT, GPT)),
                List.of(doc("ml-us", "US IND safety reports", "Under 21 CFR 312.32 the sponsor reports a serious and "
                                + "unexpected suspected adverse reaction to FDA within 15 calendar days, and a fatal or "
                                + "life-threatening one within 7 calendar days."),
                        doc("ml-eu", "EU SUSAR reporting", "Under the Clinical Trials Regulation a fatal or "
                                + "life-threatening SUSAR is reported to EudraVigilance within 7 days and other SUSARs "
                                + "within 15 days.")));
        seeded = true;
    }

    private static Map<String, Object> expert(String slug, String model) {
        return FixtureSupport.expert(slug, "Pharmacovigilance Expert", "expedited safety reporting",
                "Knows the EU and US expedited reporting rules.", "You are a pharmacovigilance expert.", "ml-pv", model);
    }

    private static Map<String, Object> doc(String id, String title, String content) {
        return FixtureSupport.document("ml-pv", id, title, content);
    }

    MissionClient client() {
        return new MissionClient(port, TENANT, user);
    }

    HttpResponse<String> send(String method, String path, String authorization, String body) throws Exception {
        return client().send(method, path, authorization, body);
    }

    String create(String expert, Map<String, Object> options) throws Exception {
        return client().create(GOAL, expert, options);
    }

    JsonNode status(String missionId) throws Exception {
        return client().status(missionId);
    }

    void awaitState(String missionId, String expected) {
        client().awaitState(missionId, expected);
    }

    void decide(String checkpointId, String decision, String comment) throws Exception {
        client().decide(checkpointId, decision, comment);
    }

    String report(JsonNode status) throws Exception {
        return client().report(status);
    }

    List<StrictSse.Event> stream(String missionId, long lastEventId, Predicate<StrictSse.Event> stop) throws Exception {
        return client().stream(missionId, lastEventId, stop);
    }

    static List<String> names(List<StrictSse.Event> events) {
        return MissionClient.names(events);
    }

    static List<StrictSse.Event> named(List<StrictSse.Event> events, String name) {
        return MissionClient.named(events, name);
    }
}
