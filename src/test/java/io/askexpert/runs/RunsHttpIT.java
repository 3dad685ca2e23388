package io.askexpert.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.askexpert.auth.TenantContext;
import io.askexpert.config.Mode;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestTokens;
import io.askexpert.testsupport.TestService;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Runs over real HTTP on the embedded default's in-process backends: resume, cancel, heartbeat, isolation. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RunsHttpIT {

    static final TestPostgres DB = TestPostgres.create();
    @TempDir static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DB, dataDir);
        registry.add("ask-expert.runs.heartbeat-interval", () -> "300ms");
    }

    @AfterAll
    static void dropDatabase() {
        DB.close();
    }

    @LocalServerPort int port;
    @Autowired RunRegistry runs;
    private final HttpClient http = HttpClient.newHttpClient();

    private RunHandle start(String tenant, String session) {
        return runs.start(new RunStart(tenant, "user-1", Mode.MODE1, session, null, false, Duration.ofSeconds(60)));
    }

    private HttpResponse<InputStream> stream(String tenant, String runId, String lastEventId) throws Exception {
        return stream(TestTokens.bearer(tenant, "user-1"), runId, lastEventId, Duration.ofMinutes(2));
    }

    private HttpResponse<InputStream> stream(String authorization, String runId, String lastEventId, Duration timeout)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/api/v1/expert/runs/" + runId + "/stream"))
                .timeout(timeout)
                .header("Authorization", authorization);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpResponse<String> post(String tenant, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", TestTokens.bearer(tenant, "user-1"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void resume_after_a_dropped_connection_loses_and_repeats_nothing() throws Exception {
        RunHandle run = start("tenant-a", null);
        CountDownLatch firstRead = new CountDownLatch(1);
        Thread producer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 5; i++) {
                run.emit(new RunEvent.Token("t" + i, i));
            }
            try {
                firstRead.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            for (int i = 5; i < 20; i++) {
                run.emit(new RunEvent.Token("t" + i, i));
            }
            run.finish(new RunEvent.Done(true, null, null, run.runId(), run.elapsedMillis(), 20, BigDecimal.ZERO, null, null));
        });

        HttpResponse<InputStream> first = stream("tenant-a", run.runId(), null);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(first.headers().firstValue("X-Run-ID")).contains(run.runId());
        StrictSse reader = StrictSse.reader(first.body());
        List<StrictSse.Event> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seen.add(reader.next());
        }
        first.body().close();
        firstRead.countDown();

        HttpResponse<InputStream> resumed = stream("tenant-a", run.runId(), Long.toString(seen.getLast().id()));
        seen.addAll(StrictSse.reader(resumed.body()).finish());
        producer.join();

        assertThat(seen.getFirst().name()).isEqualTo("run");
        assertThat(seen.getFirst().json().get("run_id").asString()).isEqualTo(run.runId());
        // Heartbeats may fall anywhere in between (300 ms of silence in this test), so ids are checked as a run.
        assertThat(seen).extracting(StrictSse.Event::id).containsExactlyElementsOf(
                LongStream.rangeClosed(1, seen.size()).boxed().toList());
        assertThat(seen.stream().filter(e -> e.name().equals("token")).map(e -> e.json().get("content").asString()))
                .containsExactlyElementsOf(LongStream.range(0, 20).mapToObj(i -> "t" + i).toList());
        assertThat(seen.getLast().name()).isEqualTo("done");
    }

    @Test
    void a_finished_run_replays_from_the_query_parameter_too() throws Exception {
        RunHandle run = start("tenant-a", null);
        run.emit(new RunEvent.Token("only", 0));
        run.finish(new RunEvent.Failed("LLM_ERROR", "every provider failed", true, 1000L));
        var response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/api/v1/expert/runs/" + run.runId() + "/stream?after=1"))
                .header("Authorization", TestTokens.bearer("tenant-a", "user-1")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        List<StrictSse.Event> events = StrictSse.parse(response.body());
        assertThat(events).extracting(StrictSse.Event::name).containsExactly("token", "error");
        assertThat(events.getLast().json().get("retryAfterMs").asLong()).isEqualTo(1000);
    }

    @Test
    void another_tenants_run_is_not_found() throws Exception {
        RunHandle run = start("tenant-a", null);
        try {
            HttpResponse<InputStream> other = stream("tenant-b", run.runId(), null);
            assertThat(other.statusCode()).isEqualTo(404);
            assertThat(new String(other.body().readAllBytes())).contains("RUN_NOT_FOUND");
            assertThat(post("tenant-b", "/api/v1/expert/runs/" + run.runId() + "/cancel").statusCode()).isEqualTo(404);
            assertThat(run.cancelled()).isFalse();
        } finally {
            run.finish(new RunEvent.Cancelled("test_over", BigDecimal.ZERO));
        }
    }

    @Test
    void another_users_run_in_the_same_tenant_is_not_found_even_by_an_admin() throws Exception {
        RunHandle run = start("tenant-a", null);
        run.emit(new RunEvent.Token("private answer", 0));
        try {
            for (String other : List.of(TestTokens.bearer("tenant-a", "user-2"), TestTokens.admin("tenant-a", "admin-1"))) {
                HttpResponse<InputStream> replay = stream(other, run.runId(), null, Duration.ofSeconds(30));
                assertThat(replay.statusCode()).isEqualTo(404);
                assertThat(new String(replay.body().readAllBytes())).contains("RUN_NOT_FOUND").doesNotContain("private answer");
                HttpResponse<String> cancel = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                                + "/api/v1/expert/runs/" + run.runId() + "/cancel")).header("Authorization", other)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(cancel.statusCode()).isEqualTo(404);
            }
            assertThat(run.cancelled()).isFalse();
        } finally {
            run.finish(new RunEvent.Cancelled("test_over", BigDecimal.ZERO));
        }
    }

    @Test
    void resuming_at_or_after_the_terminal_event_ends_at_once() throws Exception {
        RunHandle run = start("tenant-a", null);
        run.emit(new RunEvent.Token("t", 0));
        run.finish(new RunEvent.Done(true, null, null, run.runId(), 1, 1, BigDecimal.ZERO, null, null));
        long terminal = runs.read(run.runId(), 0, 10, Duration.ZERO).getLast().id();
        // A browser's EventSource reconnects with the id of the last event it saw: the terminal one.
        // The request timeout only keeps a regression from hanging the build (it used to wait 35 s).
        for (long after : new long[] {terminal, terminal + 1, terminal + 1000}) {
            HttpResponse<InputStream> resumed = stream(TestTokens.bearer("tenant-a", "user-1"), run.runId(),
                    Long.toString(after), Duration.ofSeconds(10));
            assertThat(resumed.statusCode()).isEqualTo(200);
            assertThat(resumed.body().readAllBytes()).isEmpty();
        }
        HttpResponse<InputStream> last = stream(TestTokens.bearer("tenant-a", "user-1"), run.runId(),
                Long.toString(terminal - 1), Duration.ofSeconds(10));
        assertThat(StrictSse.reader(last.body()).finish()).extracting(StrictSse.Event::name).containsExactly("done");
    }

    @Test
    void a_bad_last_event_id_is_a_validation_error_naming_the_header() throws Exception {
        RunHandle run = start("tenant-a", null);
        run.finish(new RunEvent.Cancelled("test_over", BigDecimal.ZERO));
        HttpResponse<InputStream> response = stream("tenant-a", run.runId(), "abc");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(new String(response.body().readAllBytes())).contains("Last-Event-ID");
    }

    @Test
    void cancel_reaches_the_producer_and_the_stream_ends_cancelled() throws Exception {
        RunHandle run = start("tenant-a", null);
        AtomicBoolean upstreamStopped = new AtomicBoolean();
        run.onCancel(() -> {
            upstreamStopped.set(true);
            run.finish(new RunEvent.Cancelled(run.cancelReason(), new BigDecimal("0.0001")));
        });
        HttpResponse<String> cancel = post("tenant-a", "/api/v1/expert/runs/" + run.runId() + "/cancel");
        assertThat(cancel.statusCode()).isEqualTo(202);
        assertThat(upstreamStopped).isTrue();
        var events = StrictSse.reader(stream("tenant-a", run.runId(), null).body()).finish();
        assertThat(events.getLast().name()).isEqualTo("cancelled");
        assertThat(events.getLast().json().get("reason").asString()).isEqualTo("cancelled_by_user");
        assertThat(post("tenant-a", "/api/v1/expert/runs/" + run.runId() + "/cancel").body()).contains("cancelled");
        assertThat(runs.find(new TenantContext("tenant-a", "user-1", false), run.runId())).hasValueSatisfying(i -> assertThat(i.status()).isEqualTo("cancelled"));
    }

    @Test
    void a_silent_run_sends_heartbeats() throws Exception {
        RunHandle run = start("tenant-a", null);
        StrictSse reader = StrictSse.reader(stream("tenant-a", run.runId(), null).body());
        assertThat(reader.next().name()).isEqualTo("run");
        StrictSse.Event beat = reader.next();
        assertThat(beat.name()).isEqualTo("heartbeat");
        assertThat(beat.json().get("ts").asString()).isNotBlank();
        run.finish(new RunEvent.Done(true, null, null, run.runId(), 1, 0, BigDecimal.ZERO, null, null));
        assertThat(reader.finish().getLast().name()).isEqualTo("done");
    }

    @Test
    void one_active_run_per_session_and_interrupt_cancels_the_holder() {
        String session = UUID.randomUUID().toString();
        RunHandle first = start("tenant-a", session);
        assertThatThrownBy(() -> start("tenant-a", session)).isInstanceOfSatisfying(AskExpertException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.SESSION_BUSY));
        first.onCancel(() -> first.finish(new RunEvent.Cancelled(first.cancelReason(), BigDecimal.ZERO)));
        RunHandle second = runs.start(new RunStart("tenant-a", "user-1", Mode.MODE1, session, null, true, Duration.ofSeconds(60)));
        assertThat(first.cancelReason()).isEqualTo("interrupted");
        second.finish(new RunEvent.Done(true, session, null, second.runId(), 1, 0, BigDecimal.ZERO, null, null));
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            RunHandle third = start("tenant-a", session);
            third.finish(new RunEvent.Done(true, session, null, third.runId(), 1, 0, BigDecimal.ZERO, null, null));
        });
    }
}
