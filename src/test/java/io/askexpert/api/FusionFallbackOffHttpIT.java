package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.askexpert.agents.AgentCatalog;
import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestTokens;
import io.askexpert.testsupport.TestService;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code FUSION_FALLBACK_ENABLED=false} over real HTTP: when every fusion source that was asked
 * fails, {@code /mode2/fusion/select} is {@code 504 FUSION_TIMEOUT} in the api.md §2 envelope and
 * a mode 2 stream ends with a recoverable {@code FUSION_TIMEOUT} error event.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FusionFallbackOffHttpIT {

    static final TestPostgres DB = TestPostgres.create();
    /** Only the relational source is asked, so a lock on the catalogue state fails every source asked. */
    static final String RELATIONAL_ONLY = "{\"vector\":0,\"graph\":0,\"relational\":1}";
    @TempDir static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DB, dataDir);
        registry.add("ask-expert.fusion.source-timeout", () -> "800");
        registry.add("ask-expert.fusion.fallback-enabled", () -> "false");
        registry.add("ask-expert.starter-catalogue", () -> "false");
        registry.add("ask-expert.rate-limits.enabled", () -> "false");
    }

    @AfterAll
    static void dropDatabase() {
        DB.close();
    }

    @LocalServerPort int port;
    @Autowired AgentCatalog catalog;
    @Autowired MeterRegistry meters;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void seed() {
        if (catalog.find("t1", "fda-regulatory").isPresent()) {
            return;
        }
        catalog.importRecords(null, List.of(FusionSelectHttpIT.agent("fda-regulatory", "FDA Regulatory Strategist",
                "US drug regulatory strategy", List.of("IND submissions"), List.of("US"))), n -> { });
        await().atMost(Duration.ofSeconds(60)).until(() -> post("/fusion/select", "{\"query\":\"IND submissions "
                + System.nanoTime() + "\"}").body().contains("fda-regulatory"));
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/expert/mode2" + path))
                .header("Content-Type", "application/json").header("Authorization", TestTokens.bearer("t1", "u1"))
                .header("X-Request-ID", "req-fusion-off").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Runs {@code call} while another connection holds an exclusive lock on the catalogue state the relational source reads. */
    <T> T withCatalogueLocked(java.util.concurrent.Callable<T> call) throws Exception {
        try (Connection locker = DriverManager.getConnection(DB.jdbcUrl())) {
            locker.setAutoCommit(false);
            locker.createStatement().execute("lock table catalogue_state in access exclusive mode");
            try {
                return call.call();
            } finally {
                locker.rollback();
            }
        }
    }

    @Test
    void every_source_failing_is_a_504_fusion_timeout_in_the_error_envelope() throws Exception {
        double before = meters.counter("fusion_timeouts_total").count()
                + meters.counter("fusion_source_failures_total", "source", "relational").count();
        HttpResponse<String> response = withCatalogueLocked(() -> post("/fusion/select",
                "{\"query\":\"Who prepares our IND submissions?\",\"fusion_weights\":" + RELATIONAL_ONLY + "}"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));
        JsonNode error = json.readTree(response.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("FUSION_TIMEOUT");
        assertThat(error.path("message").asString()).contains("no fusion source answered");
        assertThat(error.path("request_id").asString()).isEqualTo("req-fusion-off");
        assertThat(error.path("details").path("sources").toString()).contains("relational");
        assertThat(meters.counter("fusion_timeouts_total").count()
                + meters.counter("fusion_source_failures_total", "source", "relational").count()).isEqualTo(before + 1);
        // The lock is gone: the same question is answered again.
        assertThat(post("/fusion/select", "{\"query\":\"Who prepares our IND submissions?\",\"fusion_weights\":"
                + RELATIONAL_ONLY + "}").statusCode()).isEqualTo(200);
    }

    @Test
    void a_mode2_stream_whose_fusion_fails_ends_with_a_fusion_timeout_error_event() throws Exception {
        HttpResponse<String> response = withCatalogueLocked(() -> post("/stream",
                "{\"query\":\"Who prepares our IND submissions?\",\"options\":{\"fusion_weights\":" + RELATIONAL_ONLY
                        + "}}"));
        assertThat(response.statusCode()).isEqualTo(200);
        List<StrictSse.Event> events = StrictSse.parse(response.body());
        assertThat(events).extracting(StrictSse.Event::name).containsExactly("run", "progress", "error");
        assertThat(events.get(1).json().path("stage").asString()).isEqualTo("fusion");
        JsonNode error = events.getLast().json();
        assertThat(error.path("code").asString()).isEqualTo("FUSION_TIMEOUT");
        assertThat(error.path("recoverable").asBoolean()).isTrue();
    }
}
