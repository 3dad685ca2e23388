package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.KeylessDefault;
import io.askexpert.testsupport.RawExchange;
import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests generated from {@code /api/v1/expert/openapi.json} ({@link FuzzRequests}) against the
 * live service on the embedded default. Every answer must be below 500, carry
 * {@code X-Request-ID}, be the api.md §2 envelope when it is an error, never show SQL, a stack
 * trace or framework internals, and a stream must end with exactly one terminal event that is
 * not an internal error. {@code -Dfuzz.requests=N} sets the run's size (a few thousand in the
 * default build; 100,000 for the long run), {@code -Dfuzz.seed=S} repeats a run.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiFuzzIT {

    static final int REQUESTS = Integer.getInteger("fuzz.requests", 3_000);
    static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    static final Duration BUDGET = REQUESTS > 10_000 ? Duration.ofHours(2) : Duration.ofMinutes(3);
    static final int WORKERS = 6;
    /**
     * What must never reach a client: driver, SQL, framework and stack-trace text. Checked in
     * error bodies and a stream's error event; successful answers and search results quote the
     * knowledge base, which may say anything.
     */
    static final Pattern LEAK = Pattern.compile("SQLException|PSQLException|org\\.postgresql|org\\.springframework|"
            + "org\\.apache|java\\.lang\\.|java\\.sql|\\tat [a-z]|[A-Za-z]Exception: |ERROR: [a-z]|syntax error at|"
            + "violates [a-z ]*constraint|character varying|value too long for type|invalid byte sequence|"
            + "<html|<!doctype|Apache Tomcat|liquibase|jdbc:|io\\.askexpert\\.[a-z]+\\.[A-Z]");
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        KeylessDefault.register(registry, dataDir);
    }

    @LocalServerPort int port;

    @Test
    void no_generated_request_gets_a_5xx_a_bare_error_or_a_leak() throws Exception {
        // The document is built on first request (seconds on a quiet machine, minutes on a loaded one).
        JsonNode api = JSON.readTree(RawExchange.send(port, new RawExchange.Request("GET",
                "/api/v1/expert/openapi.json".getBytes(StandardCharsets.US_ASCII), List.of(), new byte[0]), 300_000).body());
        FuzzRequests requests = new FuzzRequests(api, actors(), SEED);
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        Map<String, LongAdder> failuresByKind = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger sent = new AtomicInteger();
        long deadline = System.nanoTime() + BUDGET.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            workers.add(Thread.ofVirtual().start(() -> {
                while (sent.getAndIncrement() < REQUESTS && System.nanoTime() < deadline) {
                    RawExchange.Request request = requests.next();
                    String problem;
                    int status = -1;
                    try {
                        RawExchange exchange = RawExchange.send(port, request, 60_000);
                        status = exchange.status();
                        problem = verdict(request.method(), exchange);
                    } catch (IOException e) {
                        problem = "no response: " + e.getClass().getSimpleName();
                    }
                    statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                    if (problem != null) {
                        String kind = problem.contains(":") ? problem.substring(0, problem.indexOf(':')) : problem;
                        failuresByKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
                        if (failures.size() < 50) {
                            failures.add(problem + "\n" + request.describe());
                        }
                    }
                }
            }));
        }
        for (Thread t : workers) {
            t.join();
        }
        long total = statuses.values().stream().mapToLong(LongAdder::sum).sum();
        String summary = "seed " + SEED + ", " + total + " requests over " + requests.operationCount()
                + " operations; statuses " + new TreeMap<>(count(statuses)) + "; failures " + count(failuresByKind);
        Files.writeString(Path.of("target", "fuzz-report.txt"), summary + "\n\n" + String.join("\n\n", failures));
        System.out.println("OpenAPI fuzz: " + summary);
        assertThat(failures).as(summary).isEmpty();
        assertThat(total).isGreaterThanOrEqualTo(Math.min(REQUESTS, requests.operationCount() * 10L));
    }

    /** Null when the answer is acceptable; otherwise what is wrong with it. */
    static String verdict(String method, RawExchange r) {
        String body = r.text();
        boolean head = method.equals("HEAD");
        if (r.status() >= 500) {
            return "5xx: " + r.status() + " " + excerpt(body);
        }
        if (r.header("X-Request-ID") == null) {
            return "no X-Request-ID: " + r.status();
        }
        String type = r.header("Content-Type") == null ? "" : r.header("Content-Type");
        if (r.status() >= 400 && LEAK.matcher(body).find()) {
            return "leak: " + excerpt(body);
        }
        if (r.status() >= 400) {
            if (!type.startsWith("application/json")) {
                return "non-envelope: " + r.status() + " " + type + " " + excerpt(body);
            }
            if (head) {
                return null; // HEAD answers carry the headers of the envelope, never its body
            }
            try {
                JsonNode error = JSON.readTree(body).get("error");
                if (error == null || !error.path("code").isString() || !error.path("message").isString()
                        || !error.path("details").isObject()
                        || !error.path("request_id").asString("").equals(r.header("X-Request-ID"))) {
                    return "non-envelope: " + r.status() + " " + excerpt(body);
                }
                if (error.path("code").asString().equals("VALIDATION_ERROR") && r.status() == 400
                        && !error.path("details").has("field")) {
                    return "no details.field: " + excerpt(body);
                }
            } catch (RuntimeException e) {
                return "non-envelope: " + r.status() + " " + excerpt(body);
            }
            return null;
        }
        if (type.startsWith("text/event-stream")) {
            try {
                List<StrictSse.Event> events = StrictSse.parse(body);
                StrictSse.Event last = events.getLast();
                if (last.name().equals("error") && LEAK.matcher(last.data()).find()) {
                    return "leak: " + last.data();
                }
                if (last.name().equals("error") && last.json().path("code").asString().equals("INTERNAL_ERROR")) {
                    return "stream internal error: " + last.data();
                }
            } catch (AssertionError e) {
                return "bad stream: " + e.getMessage();
            }
        } else if (type.startsWith("application/json") && r.body().length > 0) {
            try {
                JSON.readTree(body);
            } catch (RuntimeException e) {
                return "bad json: " + excerpt(body);
            }
        }
        return null;
    }

    private Map<String, Supplier<String>> actors() throws IOException {
        String secret = Files.readString(dataDir.resolve("jwt-secret")).strip();
        Map<String, Supplier<String>> actors = new LinkedHashMap<>();
        actors.put("user", () -> TestTokens.bearer(secret, "t-fuzz", "u" + ThreadLocalRandom.current().nextInt(100), false));
        actors.put("user2", () -> TestTokens.bearer(secret, "t-fuzz", "u" + ThreadLocalRandom.current().nextInt(100), false));
        actors.put("admin", () -> TestTokens.bearer(secret, "t-fuzz", "a" + ThreadLocalRandom.current().nextInt(20), true));
        actors.put("other-tenant", () -> TestTokens.bearer(secret, "t-other", "u1", true));
        actors.put("no-tenant-claim", () -> TestTokens.bearer(secret, "", "u" + ThreadLocalRandom.current().nextInt(5), false));
        actors.put("expired", () -> TestTokens.bearer(secret, "t-fuzz", "u1", false, Duration.ofMinutes(-5)));
        actors.put("bad-signature", () -> TestTokens.bearer(TestTokens.SECRET, "t-fuzz", "u1", true));
        actors.put("garbage", () -> List.of("Bearer abc.def.ghi", "Basic Zm9vOmJhcg==", "Bearer", "bearer  ", "Bearer "
                + "x".repeat(9_000)).get(ThreadLocalRandom.current().nextInt(5)));
        actors.put("none", () -> "");
        return actors;
    }

    private static <K> Map<K, Long> count(Map<K, LongAdder> counters) {
        Map<K, Long> out = new LinkedHashMap<>();
        counters.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private static String excerpt(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
