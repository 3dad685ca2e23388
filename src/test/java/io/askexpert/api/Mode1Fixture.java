package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.testsupport.RawHttp;
import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestRedis;
import io.askexpert.testsupport.TestTokens;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One full service for the Mode 1 ITs: real PostgreSQL and Redis, both LLM providers pointed at
 * the in-repo mock (Anthropic Messages and OpenAI chat completions on the same port), two experts
 * that differ only in their model, and a small knowledge namespace they answer from. The
 * subclasses share this one Spring context (same property source), so the mock, the database
 * and Redis live for the whole test JVM; each test starts with the mock's script and counters
 * cleared and uses its own user, so sessions never collide.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class Mode1Fixture {

    static final String TENANT = "t-mode1";
    static final String CLAUDE = "claude-sonnet-4-20250514";
    static final String GPT = "gpt-4o-mini";
    /** {@code LLM_FALLBACK_MODEL}: an OpenAI model neither expert uses, so its requests are told apart. */
    static final String FALLBACK = "gpt-4.1-mini";
    static final String CLAUDE_EXPERT = "m1-cmc-claude";
    static final String GPT_EXPERT = "m1-cmc-gpt";
    static final String QUESTION = "What belongs in the CMC section of an IND for a small molecule?";
    static final String STREAM = "/api/v1/expert/mode1/stream";
    static final String QUERY = "/api/v1/expert/mode1/query";
    /** Tokens per mock answer: at 200 tokens/s an answer streams for about a second. */
    static final int ANSWER_TOKENS = 200;
    static final long CACHE_READ = 7;
    static final long CACHE_WRITE = 3;
    static final Duration FIRST_TOKEN_TIMEOUT = Duration.ofSeconds(3);

    static final TestPostgres DB = TestPostgres.create();
    static final TestRedis REDIS = TestRedis.create();
    static final MockLlmServer MOCK = FixtureSupport.startMock(MockLlmConfig.forTests()
            .withTiming(Duration.ofMillis(20), 200, ANSWER_TOKENS).withCacheTokens(CACHE_READ, CACHE_WRITE));
    static final Path DATA_DIR = FixtureSupport.tempDir("ask-expert-mode1-");
    static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        FixtureSupport.closeAtExit(DATA_DIR, MOCK, REDIS, DB);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        FixtureSupport.mockLlmService(registry, DB, REDIS, MOCK, DATA_DIR);
        registry.add("ask-expert.llm.fallback-model", () -> FALLBACK);
        registry.add("ask-expert.llm.first-token-timeout", () -> FIRST_TOKEN_TIMEOUT.toMillis() + "ms");
        // Long, so a run held by a stalled stream stays active as long as a test needs it.
        registry.add("ask-expert.llm.token-gap-timeout", () -> "15s");
        // The failure tests must not open a provider's breaker for the tests that run after them.
        registry.add("ask-expert.llm.breaker-window", () -> "1000");
    }

    @LocalServerPort int port;
    final HttpClient http = HttpClient.newHttpClient();
    /** A user of its own per test: its sessions and runs are the only ones it sees. */
    final String user = "u-" + UUID.randomUUID().toString().substring(0, 8);

    private static volatile boolean seeded;

    @BeforeEach
    void resetMockAndSeed() throws Exception {
        MOCK.resetScript();
        MOCK.resetStats();
        if (seeded) {
            return;
        }
        FixtureSupport.seed(this::send, TestTokens.admin(TENANT, "admin"),
                List.of(expert(CLAUDE_EXPERT, CLAUDE), expert(GPT_EXPERT, GPT)),
                List.of(document("ind-cmc", "IND CMC section contents", "The CMC section of an IND describes the "
                                + "drug substance and drug product: manufacturing process, batch analyses, stability "
                                + "data and specifications, with detail proportionate to the phase of investigation."),
                        document("ind-cmc-stability", "Stability data for early phase INDs", "Early phase INDs need "
                                + "enough stability data on the drug substance to support the planned clinical study; "
                                + "the stability protocol and the data so far are submitted in the CMC section.")));
        seeded = true;
    }

    private static Map<String, Object> expert(String slug, String model) {
        // The same prompt for both: the two wire formats then see the same input and can be compared.
        return FixtureSupport.expert(slug, "CMC Regulatory Expert", "IND chemistry, manufacturing and controls",
                "Prepares the CMC sections of INDs.", "You are a CMC regulatory expert. Answer from the numbered sources.",
                "m1-cmc", model);
    }

    private static Map<String, Object> document(String id, String title, String content) {
        return FixtureSupport.document("m1-cmc", id, title, content);
    }

    String bearer() {
        return TestTokens.bearer(TENANT, user);
    }

    HttpResponse<String> send(String method, String path, String authorization, String body) throws Exception {
        return MissionClient.send(http, port, method, path, authorization, body);
    }

    JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = send("GET", path, bearer(), null);
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** A Mode 1 body: {@code query}, {@code agent_id} and the given {@code options} / extra fields. */
    static String body(String agent, String query, Map<String, Object> extra) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("query", query);
        if (agent != null) {
            b.put("agent_id", agent);
        }
        b.putAll(extra);
        return JSON.writeValueAsString(b);
    }

    static String body(String agent) {
        return body(agent, QUESTION, Map.of());
    }

    /** Opens {@code /mode1/stream} on a plain socket; the caller reads it with {@link StrictSse}. */
    RawHttp open(String body) {
        return open(port, body);
    }

    RawHttp open(int toPort, String body) {
        return RawHttp.send(toPort, "POST", STREAM, body, "Authorization", bearer());
    }

    /** A whole stream, strictly parsed: exactly one terminal event, ids growing by one. */
    record Streamed(RawHttp response, List<StrictSse.Event> events) {
        List<String> names() {
            return events.stream().map(StrictSse.Event::name).toList();
        }

        List<StrictSse.Event> named(String name) {
            return events.stream().filter(e -> e.name().equals(name)).toList();
        }

        JsonNode only(String name) {
            List<StrictSse.Event> found = named(name);
            assertThat(found).as("exactly one '" + name + "' in " + names()).hasSize(1);
            return found.getFirst().json();
        }

        StrictSse.Event terminal() {
            return events.getLast();
        }

        String text() {
            StringBuilder out = new StringBuilder();
            named("token").forEach(e -> out.append(e.json().get("content").asString()));
            return out.toString();
        }
    }

    Streamed stream(String body) {
        RawHttp response = open(body);
        try (response) {
            assertThat(response.status()).as("stream status").isEqualTo(200);
            assertThat(response.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
            return new Streamed(response, StrictSse.reader(response.body()).finish());
        }
    }

    /** Reads events up to and including the first one named {@code name}. */
    static StrictSse.Event readUntil(StrictSse reader, String name) {
        for (StrictSse.Event e = reader.next(); e != null; e = reader.next()) {
            if (e.name().equals(name)) {
                return e;
            }
            assertThat(e.terminal()).as("'" + name + "' expected before the end, got " + e.name() + " " + e.data()).isFalse();
        }
        throw new AssertionError("the stream ended before a '" + name + "' event");
    }

    /** The run's whole event log, replayed from the start (the run must have ended). */
    List<StrictSse.Event> replay(String runId) {
        try (RawHttp response = RawHttp.send(port, "GET", "/api/v1/expert/runs/" + runId + "/stream", null,
                "Authorization", bearer(), "Last-Event-ID", "0")) {
            assertThat(response.status()).isEqualTo(200);
            return StrictSse.reader(response.body()).finish();
        }
    }

    /** USD for a usage at a price per million tokens, as the price table rounds it (8 decimals). */
    static BigDecimal priced(JsonNode cost, double input, double output, double cacheRead, double cacheWrite) {
        BigDecimal micro = BigDecimal.valueOf(input).multiply(BigDecimal.valueOf(cost.get("inputTokens").asLong()))
                .add(BigDecimal.valueOf(output).multiply(BigDecimal.valueOf(cost.get("outputTokens").asLong())))
                .add(BigDecimal.valueOf(cacheRead).multiply(BigDecimal.valueOf(cost.get("cacheReadTokens").asLong())))
                .add(BigDecimal.valueOf(cacheWrite).multiply(BigDecimal.valueOf(cost.get("cacheWriteTokens").asLong())));
        return micro.divide(BigDecimal.valueOf(1_000_000), 8, RoundingMode.HALF_UP);
    }

    /** claude-sonnet-4 in llm/prices.yaml: 3.00 in, 15.00 out, 0.30 cache read, 3.75 cache write. */
    static BigDecimal claudePrice(JsonNode cost) {
        return priced(cost, 3.00, 15.00, 0.30, 3.75);
    }

    /** gpt-4o-mini: 0.15 in, 0.60 out, 0.075 cached. */
    static BigDecimal gptPrice(JsonNode cost) {
        return priced(cost, 0.15, 0.60, 0.075, 0.15);
    }

    /** gpt-4.1-mini (the fallback): 0.40 in, 1.60 out, 0.10 cached. */
    static BigDecimal fallbackPrice(JsonNode cost) {
        return priced(cost, 0.40, 1.60, 0.10, 0.40);
    }
}
