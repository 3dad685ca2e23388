package io.askexpert.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.auth.TenantContext;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.config.Mode;
import io.askexpert.config.ProcessRole;
import io.askexpert.instances.ServiceInstances;
import io.askexpert.database.Migrations;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestRedis;
import io.lettuce.core.RedisClient;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two instances sharing Redis and PostgreSQL: a run started on one is read, locked and cancelled from the other. */
class RunRegistryAcrossInstancesIT {

    private final TestPostgres db = TestPostgres.create();
    private final TestRedis redis = TestRedis.create();
    private final HikariDataSource dataSource = new HikariDataSource();
    private final RedisClient clientA = RedisClient.create(redis.url());
    private final RedisClient clientB = RedisClient.create(redis.url());
    private final RunRegistry a;
    private final RunRegistry b;

    RunRegistryAcrossInstancesIT() {
        dataSource.setJdbcUrl(db.jdbcUrl());
        dataSource.setMaximumPoolSize(4);
        new Migrations(dataSource).upgrade(null);
        a = instance(clientA);
        b = instance(clientB);
    }

    private RunRegistry instance(RedisClient client) {
        var settings = new AskExpertSettings.Runs(Duration.ofSeconds(15), Duration.ofMinutes(15), Duration.ofHours(1), 6000, 256);
        return new RunRegistry(new RedisEventLog(client.connect(), client.connectPubSub(), Duration.ofHours(1)),
                new RedisRunLock(client.connect()), new RedisCancelSignal(client.connect(), client.connectPubSub()),
                new RunStore(dataSource), new ServiceInstances(dataSource, ProcessRole.API, Duration.ofSeconds(30), false), settings,
                Clock.systemUTC(), () -> { });
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        clientA.shutdown();
        clientB.shutdown();
        dataSource.close();
        db.close();
        redis.close();
    }

    @Test
    void events_appended_on_one_instance_stream_live_from_the_other() throws Exception {
        RunHandle run = a.start(new RunStart("t1", "u1", Mode.MODE1, null, null, false, Duration.ofSeconds(60)));
        CompletableFuture<List<Sequenced>> next = CompletableFuture.supplyAsync(
                () -> b.read(run.runId(), 1, 10, Duration.ofSeconds(10)));
        run.emit(new RunEvent.Token("hello", 0));
        assertThat(next.get()).extracting(Sequenced::event).containsExactly("token");
        assertThat(b.find(new TenantContext("t1", "u1", false), run.runId())).isPresent();
        assertThat(b.find(new TenantContext("t2", "u1", false), run.runId())).isEmpty();
        run.finish(new RunEvent.Done(true, null, null, run.runId(), 1, 0, BigDecimal.ZERO, null, null));
    }

    @Test
    void a_cancel_asked_on_one_instance_stops_the_run_on_the_other() {
        RunHandle run = a.start(new RunStart("t1", "u1", Mode.MODE1, null, null, false, Duration.ofSeconds(60)));
        run.onCancel(() -> run.finish(new RunEvent.Cancelled(run.cancelReason(), BigDecimal.ZERO)));
        b.cancel(new TenantContext("t1", "u1", false), run.runId(), "cancelled_by_user");
        await().atMost(Duration.ofSeconds(5)).until(run::finished);
        assertThat(b.read(run.runId(), 0, 10, Duration.ZERO)).last().satisfies(e -> assertThat(e.event()).isEqualTo("cancelled"));
        assertThat(b.find(new TenantContext("t1", "u1", false), run.runId())).hasValueSatisfying(i -> assertThat(i.status()).isEqualTo("cancelled"));
    }

    @Test
    void the_session_lock_holds_across_instances_and_interrupt_crosses_them() {
        String session = UUID.randomUUID().toString();
        RunHandle first = a.start(new RunStart("t1", "u1", Mode.MODE1, session, null, false, Duration.ofSeconds(60)));
        first.onCancel(() -> first.finish(new RunEvent.Cancelled(first.cancelReason(), BigDecimal.ZERO)));
        assertThatThrownBy(() -> b.start(new RunStart("t1", "u1", Mode.MODE1, session, null, false, Duration.ofSeconds(60))))
                .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SESSION_BUSY));
        RunHandle second = b.start(new RunStart("t1", "u1", Mode.MODE1, session, null, true, Duration.ofSeconds(60)));
        assertThat(first.cancelReason()).isEqualTo("interrupted");
        assertThat(redis.connection().sync().get("session:t1:u1:" + session)).isEqualTo(second.runId());
        second.finish(new RunEvent.Done(true, session, null, second.runId(), 1, 0, BigDecimal.ZERO, null, null));
        assertThat(redis.connection().sync().exists("session:t1:u1:" + session)).isZero();
    }

    @Test
    void a_mission_run_opened_on_one_instance_is_continued_on_the_other_with_growing_ids() {
        String runId = "run_" + UUID.randomUUID().toString().replace("-", "");
        RunStart start = new RunStart("t1", "u1", Mode.MODE3, null, UUID.randomUUID().toString(), false,
                Duration.ofSeconds(300));
        a.open(runId, start);
        a.open(runId, start); // opening twice appends the run event once
        RunHandle first = b.attach(runId, start);
        first.emit(new RunEvent.Token("one", 0));
        b.detach(first);
        a.heartbeat(runId); // a reader asks for a heartbeat while nobody produces
        RunHandle second = a.attach(runId, start); // another worker takes over
        second.emit(new RunEvent.Token("two", 1));
        second.finish(new RunEvent.Done(true, null, null, runId, 1, 0, BigDecimal.ZERO, null, null));
        List<Sequenced> all = b.read(runId, 0, 100, Duration.ZERO);
        assertThat(all).extracting(Sequenced::event).containsExactly("run", "token", "heartbeat", "token", "done");
        assertThat(all).extracting(Sequenced::id).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(b.find(new TenantContext("t1", "u1", false), runId))
                .hasValueSatisfying(i -> assertThat(i.status()).isEqualTo("done"));
        // another user's admin of the tenant may see a mission's run; another user may not
        assertThat(b.find(new TenantContext("t1", "boss", true), runId)).isPresent();
        assertThat(b.find(new TenantContext("t1", "u2", false), runId)).isEmpty();
    }
}
