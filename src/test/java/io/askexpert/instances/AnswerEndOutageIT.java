package io.askexpert.instances;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.testsupport.OwnPostgres;
import io.askexpert.testsupport.RawHttp;
import io.askexpert.testsupport.ServiceOnOwnPostgres;
import io.askexpert.testsupport.ServiceProcess;
import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The database goes away while answers stream and comes back a few seconds after their last
 * token: every answer still ends with {@code done} (the writes that end it are retried through the
 * outage, {@code DATABASE_RETRY_TIMEOUT}), with exactly one stored reply and one cost row per run.
 * PostgreSQL is the test's own ({@code initdb}, stopped with {@code pg_ctl stop -m immediate}, so
 * connections are cut as in a crash) and the service is the real jar as its own process. The
 * database stays down longer than the pool's 5 s wait after the last token, so without the retry
 * every answer would end in {@code error SERVICE_UNAVAILABLE}.
 */
class AnswerEndOutageIT {

    static final String TENANT = "t-outage";
    static final int STREAMS = 12;
    static final int ANSWER_TOKENS = 60;
    static ServiceOnOwnPostgres harness;
    static OwnPostgres pg;

    @BeforeAll
    static void dependencies() {
        // 10 tokens a second for 60 tokens: each answer streams for 6 s.
        harness = ServiceOnOwnPostgres.start(MockLlmConfig.forTests().withTiming(Duration.ofMillis(50), 10, ANSWER_TOKENS),
                "ask-expert-outage-");
        pg = harness.pg();
    }

    @AfterAll
    static void stop() {
        if (harness != null) {
            harness.close();
        }
    }

    /** What one client saw: its run, session, tokens, when its last token came, and every event. */
    static final class Client {
        volatile String runId;
        volatile String sessionId;
        final AtomicInteger tokens = new AtomicInteger();
        final AtomicLong lastTokenNanos = new AtomicLong(System.nanoTime());
        volatile List<StrictSse.Event> events = List.of();
        volatile int status;
    }

    @Test
    void answers_that_end_while_the_database_restarts_end_with_done_stored_and_billed_once() throws Exception {
        String user = TestTokens.bearer(TENANT, "u-outage");
        List<Client> clients = new ArrayList<>();
        try (ServiceProcess service = harness.startService(Map.of("DATABASE_POOL_SIZE", "4", "DATABASE_RETRY_TIMEOUT", "30"),
                Map.of());
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> reading = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                Client c = new Client();
                clients.add(c);
                // Half open a new session (its rows written behind the stream), half name their own.
                String session = i % 2 == 0 ? "" : ",\"session_id\":\"outage-" + i + "\"";
                reading.add(pool.submit(() -> {
                    try (RawHttp stream = RawHttp.send(service.port(), "POST", "/api/v1/expert/mode1/stream",
                            "{\"agent_id\":\"fda-regulatory-expert\",\"query\":\"What must an IND contain?\"" + session + "}",
                            "Authorization", user)) {
                        c.status = stream.status();
                        StrictSse events = StrictSse.reader(stream.body());
                        for (StrictSse.Event e = events.next(); e != null; e = events.next()) {
                            if (e.name().equals("run")) {
                                c.runId = e.json().get("run_id").asString();
                                c.sessionId = e.json().get("session_id").asString();
                            } else if (e.name().equals("token")) {
                                c.tokens.incrementAndGet();
                                c.lastTokenNanos.set(System.nanoTime());
                            }
                        }
                        c.events = events.finish();
                    }
                    return null;
                }));
            }
            // Every run and its user turn are written (a token is released only after the run's rows),
            // and the first answer is a few tokens from its end: the database goes now.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> clients.stream().allMatch(c -> c.tokens.get() >= 10)
                            && clients.stream().anyMatch(c -> c.tokens.get() >= ANSWER_TOKENS - 15));
            assertThat(clients).allSatisfy(c -> assertThat(c.tokens.get()).isLessThan(ANSWER_TOKENS));
            pg.stopServer();
            // Every answer has streamed its last token, then the database stays away for longer than the
            // pool's 5 s wait, so each answer's first attempt to store itself has failed.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> clients.stream().allMatch(c -> System.nanoTime() - c.lastTokenNanos.get()
                            > TimeUnit.SECONDS.toNanos(2)));
            Thread.sleep(6_000);
            assertThat(clients).allSatisfy(c -> assertThat(c.events).as("ended while the database was down").isEmpty());
            pg.startServer();
            for (Future<?> f : reading) {
                f.get(90, TimeUnit.SECONDS);
            }

            for (Client c : clients) {
                assertThat(c.status).isEqualTo(200);
                List<String> names = c.events.stream().map(StrictSse.Event::name).toList();
                assertThat(names).as("run %s:%n%s", c.runId, service.errors()).endsWith("cost", "done")
                        .doesNotContain("error").containsOnlyOnce("done");
                assertThat(c.tokens.get()).isEqualTo(ANSWER_TOKENS);
                String messageId = c.events.getLast().json().get("message_id").asString();
                // One reply, the one done names, and one cost row for it; the run closed as done.
                assertThat(pg.query("select id from messages where run_id = '" + c.runId + "' and role = 'assistant'"))
                        .containsExactly(messageId);
                assertThat(pg.query("select count(*) from messages where run_id = '" + c.runId + "' and role = 'user'"))
                        .containsExactly("1");
                assertThat(pg.query("select message_id from costs where run_id = '" + c.runId + "'"))
                        .containsExactly(messageId);
                await().atMost(Duration.ofSeconds(30)).until(() -> pg.query("select session_id || ':' || status from runs "
                        + "where id = '" + c.runId + "'"), rows -> rows.equals(List.of(c.sessionId + ":done")));
            }
            Consistency.assertNothingHalfWritten(pg);
        }
    }
}
