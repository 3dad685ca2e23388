package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.TcpProxy;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestTokens;
import io.askexpert.testsupport.TestService;
import io.lettuce.core.RedisClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Health, metrics and rate limits of a service on PostgreSQL and Redis, where Redis is reached
 * through a proxy the test can cut: the service must then report Redis down, never crash.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformRedisIT {

    static final String REDIS = System.getenv().getOrDefault("ASK_EXPERT_TEST_REDIS", "redis://127.0.0.1:6379");
    static final TestPostgres DB = TestPostgres.create();
    static final TcpProxy PROXY = proxy();
    static final String PREFIX = "ask_expert_test:" + UUID.randomUUID() + ":";
    @TempDir static Path dataDir;

    static TcpProxy proxy() {
        try {
            URI uri = URI.create(REDIS);
            return new TcpProxy(uri.getHost(), uri.getPort());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DB, dataDir);
        registry.add("ask-expert.redis.url", () -> "redis://127.0.0.1:" + PROXY.port());
        registry.add("ask-expert.rate-limits.key-prefix", () -> PREFIX);
        registry.add("ask-expert.rate-limits.interactive-per-minute", () -> "2");
    }

    @AfterAll
    static void cleanUp() {
        PROXY.close();
        DB.close();
        RedisClient client = RedisClient.create(REDIS);
        try (var connection = client.connect()) {
            var keys = connection.sync().keys(PREFIX + "*");
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            client.shutdown();
        }
    }

    @LocalServerPort int port;
    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String user) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", TestTokens.bearer("acme", user)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void healthy_with_both_servers_in_the_runbook_shape() throws Exception {
        var detailed = get("/health/detailed");
        assertThat(detailed.statusCode()).as(detailed.body()).isEqualTo(200);
        JsonNode body = json.readTree(detailed.body());
        assertThat(body.path("status").asString()).isIn("healthy", "degraded");
        assertThat(body.path("database").asString()).isEqualTo("healthy");
        assertThat(body.path("redis").asString()).isEqualTo("healthy");
        assertThat(body.has("llm") && body.has("vector_index") && body.has("queue")).isTrue();
        // The queue is probed where it lives: LLEN of the runbook's list, with the round trip's latency.
        assertThat(body.path("queue").asString()).isEqualTo("healthy");
        assertThat(body.path("checks").path("queue").path("detail").asString())
                .matches("Redis list ask_expert_queue: \\d+ missions? waiting");
        assertThat(body.path("checks").path("queue").path("latency_ms").isNumber()).isTrue();
        assertThat(body.path("vector_index").asString()).isEqualTo("healthy");
        assertThat(body.path("checks").path("vector_index").path("detail").asString())
                .matches("local Lucene index: \\d+ chunks?|pgvector \\S+ in PostgreSQL");
        assertThat(body.path("checks").path("database").path("latency_ms").isNumber()).isTrue();
        for (int mode = 1; mode <= 4; mode++) {
            var health = get("/api/v1/expert/mode" + mode + "/health");
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(json.readTree(health.body()).path("mode").asString()).startsWith("mode" + mode + "_");
        }
    }

    @Test
    @Order(2)
    void rate_limit_headers_then_429_shared_through_redis() throws Exception {
        String user = "u-" + UUID.randomUUID();
        for (int i = 1; i <= 2; i++) {
            var allowed = post("/api/v1/expert/mode1/query", user);
            assertThat(allowed.statusCode()).isNotEqualTo(429);
            assertThat(allowed.headers().firstValue("X-RateLimit-Limit")).hasValue("2");
            assertThat(allowed.headers().firstValue("X-RateLimit-Remaining")).hasValue(String.valueOf(2 - i));
            assertThat(Long.parseLong(allowed.headers().firstValue("X-RateLimit-Reset").orElseThrow()))
                    .isGreaterThan(System.currentTimeMillis() / 1000 - 1);
        }
        var refused = post("/api/v1/expert/mode2/stream", user);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        JsonNode error = json.readTree(refused.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("RATE_LIMIT_EXCEEDED");
        assertThat(error.path("request_id").asString()).isNotBlank();
        // Another user of the same tenant has a bucket of their own.
        assertThat(post("/api/v1/expert/mode1/query", "other-" + user).statusCode()).isNotEqualTo(429);
        // The bucket is in Redis under the configured prefix.
        RedisClient client = RedisClient.create(REDIS);
        try (var connection = client.connect()) {
            assertThat(connection.sync().keys(PREFIX + "interactive:acme:*")).hasSize(2);
        } finally {
            client.shutdown();
        }
    }

    @Test
    @Order(3)
    void metrics_carry_the_alert_series() throws Exception {
        get("/health");
        var metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .containsPattern("http_requests_total\\{[^}]*method=\"GET\"[^}]*route=\"/health\"[^}]*service=\"ask-expert\"[^}]*status=\"200\"")
                .containsPattern("http_request_duration_seconds_bucket\\{[^}]*route=\"/health\"[^}]*service=\"ask-expert\"")
                .containsPattern("http_requests_total\\{[^}]*status=\"429\"");
    }

    @Test
    @Order(4)
    void redis_going_down_is_reported_not_fatal() throws Exception {
        PROXY.close();
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var detailed = get("/health/detailed");
            assertThat(detailed.statusCode()).isEqualTo(503);
            JsonNode body = json.readTree(detailed.body());
            assertThat(body.path("status").asString()).isEqualTo("unhealthy");
            assertThat(body.path("redis").asString()).isEqualTo("unhealthy");
            assertThat(body.path("database").asString()).isEqualTo("healthy");
            assertThat(body.path("checks").path("redis").path("detail").asString()).doesNotContain("127.0.0.1");
            assertThat(body.path("queue").asString()).isEqualTo("unhealthy");
            assertThat(body.path("checks").path("queue").path("detail").asString())
                    .startsWith("Redis list ask_expert_queue ").doesNotContain("127.0.0.1");
        });
        assertThat(get("/health").statusCode()).isEqualTo(200);
        var mode1 = get("/api/v1/expert/mode1/health");
        assertThat(mode1.statusCode()).isEqualTo(503);
        assertThat(json.readTree(mode1.body()).path("reasons").toString()).contains("redis");
        // Limited routes keep answering (the limiter lets requests through while its store is down).
        assertThat(post("/api/v1/expert/mode1/query", "after-outage").statusCode()).isNotEqualTo(429);
    }
}
