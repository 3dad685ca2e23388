package io.askexpert.missions;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.budget.BudgetLedger;
import io.askexpert.budget.ReservationRequest;
import io.askexpert.budget.ReserveOutcome;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.database.Migrations;
import io.askexpert.runs.EventLog;
import io.askexpert.runs.RunEvent;
import io.askexpert.runs.RunHandle;
import io.askexpert.runs.RunRegistry;
import io.askexpert.runs.Sequenced;
import io.askexpert.runs.TestRuns;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestRedis;
import io.lettuce.core.RedisClient;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link UnendedRuns} on the real PostgreSQL, with each event log a deployment may use: a mission
 * whose worker died after the mission's row turned completed (or failed, or cancelled) and before its
 * run's last events gets them from the closer, each exactly once and in order ({@code cost},
 * {@code mission_completed}, {@code done}), whatever the worker had already appended, however often
 * the closer runs and on how many instances at once.
 */
class UnendedRunsIT {

    private static final String TENANT = "t-unended";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The closer's own timer (every five sweep intervals) never fires during the test: only the test sweeps. */
    private static final MissionSettings MISSIONS = new MissionSettings(Duration.ofSeconds(2), Duration.ofSeconds(60),
            Duration.ofHours(1), Duration.ofMinutes(10));
    private static final AskExpertSettings SETTINGS = new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("ask-expert", AskExpertSettings.class);

    enum Log {
        IN_PROCESS, REDIS
    }

    private static TestPostgres db;
    private static TestRedis redis;
    private static RedisClient redisClient;
    private static HikariDataSource pool;
    private static MissionStore store;
    private static MissionJournal journal;
    private static MissionArtifacts artifacts;
    private static BudgetLedger ledger;
    private static CompletionEvents completion;

    @BeforeAll
    static void setUp() {
        db = TestPostgres.create();
        redis = TestRedis.create();
        redisClient = RedisClient.create(redis.url());
        pool = new HikariDataSource();
        pool.setJdbcUrl(db.jdbcUrl());
        pool.setMaximumPoolSize(4);
        new Migrations(pool).upgrade(null);
        store = new MissionStore(pool);
        journal = new MissionJournal(pool);
        artifacts = new MissionArtifacts(pool);
        ledger = new BudgetLedger(pool);
        completion = new CompletionEvents(journal, artifacts, new LedgerBudgets(ledger));
    }

    @AfterAll
    static void tearDown() {
        redisClient.shutdown();
        pool.close();
        redis.close();
        db.close();
    }

    /** One instance: its registry over the shared log and database, and its closer. */
    private record Instance(RunRegistry runs, UnendedRuns closer) implements AutoCloseable {
        @Override
        public void close() {
            closer.close();
            runs.close();
        }
    }

    private static EventLog log(Log kind) {
        return kind == Log.REDIS ? TestRuns.redisLog(redisClient) : TestRuns.inProcessLog();
    }

    private static Instance instance(EventLog events) {
        RunRegistry runs = TestRuns.registry(events, pool);
        return new Instance(runs, new UnendedRuns(store, new LedgerBudgets(ledger), runs, SETTINGS, MISSIONS, completion));
    }

    /**
     * A mission as its worker leaves it when it dies right after moving the row to {@code to}: its
     * run open with what the attempt had appended (the run, mission_started, an artifact), a model
     * call's cost settled and journaled, a report saved, and then whatever {@code lastWords} appends
     * before the worker is gone. The mission ended a minute ago, past the closer's grace.
     */
    private static Mission diedAfter(RunRegistry worker, MissionStatus to, Function<RunHandle, Object> lastWords) {
        MissionRecord taken = running();
        Mission m = taken.mission();

        RunHandle handle = worker.attach(m.runId(), MissionRunner.runStart(m, SETTINGS));
        handle.emitOnce("mission/1", new RunEvent.MissionStarted(m.id().toString(), MissionStatus.RUNNING.wireName()));
        var reserved = (ReserveOutcome.Reserved) ledger.reserve(new ReservationRequest(TENANT, m.id(), "report/llm-1",
                new BigDecimal("0.05"), "llm report/llm-1"));
        ledger.settle(reserved.reservation().id(), new BigDecimal("0.0123"));
        journal.mark(m.id(), LeasedMissionRun.ENGINE + "cost/" + reserved.reservation().id(), "cost",
                "{\"input_tokens\":1200,\"output_tokens\":340,\"cache_read_tokens\":0,\"cache_write_tokens\":0}");
        MissionArtifact report = artifacts.save(m.id(), "report", "report", "The report", "markdown", "# Report\n\nFound.");
        handle.emitOnce("mission/2", new RunEvent.Artifact(report.id().toString(), report.type(), report.title(),
                report.format(), report.preview(), report.downloadUrl()));

        String code = to == MissionStatus.FAILED ? "BUDGET_EXCEEDED" : null;
        String message = to == MissionStatus.FAILED ? "the mission budget of 5.00 USD would be exceeded by llm step-2/llm-1"
                : null;
        assertThat(store.release(m.id(), "worker-1", taken.version(), to, 4_321, code, message)).isTrue();
        lastWords.apply(handle);
        worker.detach(handle); // the worker is gone: nothing of its run is live anywhere
        backdate(m.id());
        return m;
    }

    /** A mission with its run and budget, taken by {@code worker-1}. */
    private static MissionRecord running() {
        Instant now = Instant.now();
        MissionOptions options = new MissionOptions(3, new BigDecimal("5.00"), false, Set.of(), false, 1,
                MissionOptions.Priority.NORMAL, false, Duration.ofHours(1));
        Mission created = new Mission(UUID.randomUUID(), TENANT, "u1", MissionMode.MODE3, MissionStatus.CREATED,
                "A goal long enough to be a mission", null, "some-expert", options, Map.of(), null, 0, now, now);
        store.insert(created);
        assertThat(store.startRun(created.id(), 0, "run_" + UUID.randomUUID().toString().replace("-", ""))).isTrue();
        ledger.openMission(TENANT, created.id(), options.budgetLimitUsd());
        return store.claim(created.id(), "worker-1", Duration.ofSeconds(30)).orElseThrow();
    }

    /** Holds 0.05 and 0.02 USD for two calls of the mission and leaves them open, as a worker that died in them. */
    private static List<UUID> holding(UUID missionId) {
        return List.of(new BigDecimal("0.05"), new BigDecimal("0.02")).stream().map(x -> ((ReserveOutcome.Reserved) ledger
                .reserve(new ReservationRequest(TENANT, missionId, "step-1/tool/toolu_" + x, x, "tool consult_expert")))
                .reservation().id()).toList();
    }

    private static BigDecimal monthReserved() {
        return ledger.tenantMonth(TENANT).reservedUsd();
    }

    private static void backdate(UUID id) {
        new org.springframework.jdbc.core.JdbcTemplate(pool)
                .update("update missions set finished_at = now() - interval '1 minute' where id = ?", id);
    }

    private static List<Sequenced> events(RunRegistry runs, Mission m) {
        return runs.read(runId(m), 0, 1000, Duration.ZERO);
    }

    private static String runId(Mission m) {
        return store.find(m.id()).orElseThrow().mission().runId();
    }

    private static List<String> names(List<Sequenced> events) {
        return events.stream().map(Sequenced::event).toList();
    }

    private static JsonNode data(List<Sequenced> events, String name) {
        return JSON.readTree(events.stream().filter(e -> e.event().equals(name)).findFirst().orElseThrow().data());
    }

    private static void assertCompletedOnce(List<Sequenced> events, Mission m) {
        assertThat(names(events)).containsExactly("run", "mission_started", "artifact", "cost", "mission_completed", "done");
        assertThat(events).extracting(Sequenced::id).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        JsonNode cost = data(events, "cost");
        assertThat(cost.get("inputTokens").asLong()).isEqualTo(1200);
        assertThat(cost.get("outputTokens").asLong()).isEqualTo(340);
        assertThat(cost.get("estimatedCost").decimalValue()).isEqualByComparingTo("0.0123");
        JsonNode completed = data(events, "mission_completed");
        assertThat(completed.get("mission_id").asString()).isEqualTo(m.id().toString());
        assertThat(completed.get("status").asString()).isEqualTo("completed");
        assertThat(completed.get("artifacts")).hasSize(1);
        assertThat(completed.get("metrics").get("duration_ms").asLong()).isEqualTo(4_321);
        JsonNode done = data(events, "done");
        assertThat(done.get("run_id").asString()).isEqualTo(runId(m));
        assertThat(done.get("cost").decimalValue()).isEqualByComparingTo("0.0123");
    }

    @ParameterizedTest
    @EnumSource(Log.class)
    void a_completed_mission_whose_worker_sent_nothing_more_gets_cost_mission_completed_and_done_once(Log kind) {
        EventLog events = log(kind);
        try (Instance worker = instance(events); Instance closer = instance(events)) {
            Mission m = diedAfter(worker.runs(), MissionStatus.COMPLETED, handle -> null);
            assertThat(names(events(closer.runs(), m))).containsExactly("run", "mission_started", "artifact");

            closeOwn(closer, m);
            assertCompletedOnce(events(closer.runs(), m), m);
            assertThat(store.endedWithOpenRun(Duration.ZERO, 1000)).extracting(r -> r.mission().id())
                    .doesNotContain(m.id());

            // Again: the run is closed, nothing is appended (a second sweep, and one that read the list before).
            closer.closer().sweep();
            assertThat(closer.closer().closeRuns(List.of(store.find(m.id()).orElseThrow()))).isZero();
            assertCompletedOnce(events(closer.runs(), m), m);
        }
    }

    @ParameterizedTest
    @EnumSource(Log.class)
    void what_the_worker_appended_before_it_died_is_not_appended_again(Log kind) {
        EventLog events = log(kind);
        try (Instance worker = instance(events); Instance closer = instance(events)) {
            // Died between the cost event and mission_completed.
            Mission costOnly = diedAfter(worker.runs(), MissionStatus.COMPLETED, handle -> handle.emitOnce(
                    CompletionEvents.COST_KEY, new RunEvent.Cost(1200, 340, 0, 0, 1540, new BigDecimal("0.0123"),
                            new BigDecimal("0.0123"), new BigDecimal("5.00"))));
            // Died between mission_completed and done: its own CompletionEvents had sent both.
            Mission both = diedAfter(worker.runs(), MissionStatus.COMPLETED, handle -> completion.emit(
                    store.find(missionOf(handle)).orElseThrow().mission(), 4_321, handle));

            closeOwn(closer, costOnly);
            closeOwn(closer, both);
            assertCompletedOnce(events(closer.runs(), costOnly), costOnly);
            assertCompletedOnce(events(closer.runs(), both), both);
        }
    }

    @ParameterizedTest
    @EnumSource(Log.class)
    void two_instances_closing_the_same_run_at_once_close_it_once(Log kind) throws Exception {
        EventLog events = log(kind);
        try (Instance worker = instance(events); Instance a = instance(events); Instance b = instance(events)) {
            for (int round = 0; round < 5; round++) {
                Mission m = diedAfter(worker.runs(), MissionStatus.COMPLETED, handle -> null);
                MissionRecord row = store.find(m.id()).orElseThrow();
                List<Integer> closed = race(List.of(() -> a.closer().closeRuns(List.of(row)),
                        () -> b.closer().closeRuns(List.of(row))));
                assertThat(closed).containsExactlyInAnyOrder(0, 1);
                assertCompletedOnce(events(a.runs(), m), m);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Log.class)
    void a_failed_or_cancelled_mission_gets_its_one_terminal_event_and_no_completion(Log kind) {
        EventLog events = log(kind);
        try (Instance worker = instance(events); Instance closer = instance(events)) {
            Mission failed = diedAfter(worker.runs(), MissionStatus.FAILED, handle -> null);
            Mission cancelled = diedAfter(worker.runs(), MissionStatus.CANCELLED, handle -> null);
            closeOwn(closer, failed);
            closeOwn(closer, cancelled);
            closer.closer().sweep();

            List<Sequenced> f = events(closer.runs(), failed);
            assertThat(names(f)).containsExactly("run", "mission_started", "artifact", "error");
            assertThat(data(f, "error").get("code").asString()).isEqualTo("BUDGET_EXCEEDED");
            assertThat(data(f, "error").get("message").asString()).contains("5.00 USD");
            List<Sequenced> c = events(closer.runs(), cancelled);
            assertThat(names(c)).containsExactly("run", "mission_started", "artifact", "cancelled");
            assertThat(data(c, "cancelled").get("partial_cost").decimalValue()).isEqualByComparingTo("0.0123");
        }
    }

    @ParameterizedTest
    @EnumSource(Log.class)
    void a_run_whose_mission_ended_within_the_grace_is_left_to_its_worker(Log kind) {
        EventLog events = log(kind);
        try (Instance worker = instance(events); Instance closer = instance(events)) {
            Mission m = diedAfter(worker.runs(), MissionStatus.COMPLETED, handle -> null);
            new org.springframework.jdbc.core.JdbcTemplate(pool)
                    .update("update missions set finished_at = now() where id = ?", m.id());
            closer.closer().sweep();
            assertThat(names(events(closer.runs(), m))).containsExactly("run", "mission_started", "artifact");
            backdate(m.id());
            closeOwn(closer, m);
            assertCompletedOnce(events(closer.runs(), m), m);
        }
    }

    @ParameterizedTest
    @EnumSource(value = MissionStatus.class, names = {"COMPLETED", "FAILED", "CANCELLED"})
    void an_ended_mission_whose_worker_died_holding_budget_has_it_released_once(MissionStatus to) throws Exception {
        try (Instance worker = instance(log(Log.IN_PROCESS)); Instance a = instance(log(Log.IN_PROCESS));
             Instance b = instance(log(Log.IN_PROCESS))) {
            BigDecimal monthBefore = monthReserved();
            List<UUID> held = new java.util.ArrayList<>();
            Mission m = diedAfter(worker.runs(), to, handle -> held.addAll(holding(missionOf(handle))));
            assertThat(ledger.missionBudget(m.id()).reservedUsd()).isEqualByComparingTo("0.07");
            assertThat(monthReserved()).isEqualByComparingTo(monthBefore.add(new BigDecimal("0.07")));
            assertThat(store.endedHoldingBudget(Duration.ZERO, 1000)).contains(m.id());

            // Two instances at once: each reservation is released by one of them.
            List<Integer> released = race(List.of(() -> a.closer().releaseHolds(List.of(m.id())),
                    () -> b.closer().releaseHolds(List.of(m.id()))));
            assertThat(released.stream().mapToInt(Integer::intValue).sum()).isEqualTo(2);
            closeOwn(a, m);
            a.closer().sweep();
            assertThat(a.closer().releaseHolds(List.of(m.id()))).isZero();
            assertThat(ledger.missionBudget(m.id()).reservedUsd()).isEqualByComparingTo("0");
            assertThat(ledger.missionBudget(m.id()).spentUsd()).isEqualByComparingTo("0.0123");
            assertThat(monthReserved()).isEqualByComparingTo(monthBefore);
            assertThat(store.endedHoldingBudget(Duration.ZERO, 1000)).doesNotContain(m.id());

            // A worker that was still in a call settles after the release: what it spent is charged, nothing freed twice.
            ledger.settle(held.getFirst(), new BigDecimal("0.01"));
            assertThat(ledger.missionBudget(m.id()).spentUsd()).isEqualByComparingTo("0.0223");
            assertThat(ledger.missionBudget(m.id()).reservedUsd()).isEqualByComparingTo("0");
            assertThat(monthReserved()).isEqualByComparingTo(monthBefore);
        }
    }

    @org.junit.jupiter.api.Test
    void a_mission_still_running_or_ended_within_the_grace_keeps_what_it_holds() {
        try (Instance worker = instance(log(Log.IN_PROCESS)); Instance closer = instance(log(Log.IN_PROCESS))) {
            UUID live = running().mission().id();
            holding(live);
            Mission ended = diedAfter(worker.runs(), MissionStatus.CANCELLED, handle -> holding(missionOf(handle)));
            new org.springframework.jdbc.core.JdbcTemplate(pool)
                    .update("update missions set finished_at = now() where id = ?", ended.id());

            closer.closer().sweep();
            assertThat(ledger.missionBudget(live).reservedUsd()).isEqualByComparingTo("0.07");
            assertThat(ledger.missionBudget(ended.id()).reservedUsd()).isEqualByComparingTo("0.07");

            backdate(ended.id());
            closer.closer().sweep();
            assertThat(ledger.missionBudget(ended.id()).reservedUsd()).isEqualByComparingTo("0");
            assertThat(ledger.missionBudget(live).reservedUsd()).as("its worker is alive").isEqualByComparingTo("0.07");
        }
    }

    /** Sweeps until this mission's run is closed (the sweep takes the oldest first, other tests' included). */
    private static void closeOwn(Instance instance, Mission m) {
        for (int i = 0; i < 20 && store.endedWithOpenRun(Duration.ZERO, 1000).stream()
                .anyMatch(r -> r.mission().id().equals(m.id())); i++) {
            instance.closer().sweep();
        }
    }

    private static UUID missionOf(RunHandle handle) {
        return store.findByRun(handle.runId()).orElseThrow().mission().id();
    }

    private static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = tasks.stream().map(t -> threads.submit(() -> {
                go.await();
                return t.call();
            })).toList();
            go.countDown();
            List<T> out = new java.util.ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        }
    }
}
