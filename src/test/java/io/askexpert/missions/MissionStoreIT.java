package io.askexpert.missions;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.budget.BudgetLedger;
import io.askexpert.checkpoints.Checkpoint;
import io.askexpert.checkpoints.CheckpointStore;
import io.askexpert.checkpoints.DecideOutcome;
import io.askexpert.checkpoints.Decision;
import io.askexpert.checkpoints.NewCheckpoint;
import io.askexpert.database.Migrations;
import io.askexpert.queue.MissionQueue;
import io.askexpert.testsupport.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Compare-and-set on the real PostgreSQL, used as two instances would (two pools): of concurrent
 * moves from one version exactly one lands; of concurrent claims exactly one worker gets the lease,
 * and after it expires exactly one takes over while the old holder can no longer renew or release;
 * of two decisions arriving at once exactly one decides and the mission is re-queued exactly once.
 */
class MissionStoreIT {

    private static final int THREADS = 16;

    private static TestPostgres db;
    private static HikariDataSource poolA;
    private static HikariDataSource poolB;
    private static MissionStore storeA;
    private static MissionStore storeB;

    @BeforeAll
    static void setUp() {
        db = TestPostgres.create();
        poolA = pool();
        poolB = pool();
        new Migrations(poolA).upgrade(null);
        storeA = new MissionStore(poolA);
        storeB = new MissionStore(poolB);
    }

    private static HikariDataSource pool() {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(db.jdbcUrl());
        pool.setMaximumPoolSize(4);
        return pool;
    }

    @AfterAll
    static void tearDown() {
        poolA.close();
        poolB.close();
        db.close();
    }

    static Mission mission(MissionStatus status) {
        Instant now = Instant.now();
        MissionOptions options = new MissionOptions(3, new BigDecimal("5.00"), true, Set.of(), false, 1,
                MissionOptions.Priority.NORMAL, false, Duration.ofHours(1));
        Mission m = new Mission(UUID.randomUUID(), "t-store", "u1", MissionMode.MODE3, status,
                "A goal long enough to be valid", null, "some-agent", options, Map.of("k", "v"), null, 0, now, now);
        storeA.insert(m);
        return m;
    }

    private static <T> List<T> race(int threads, Callable<T> task) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return task.call();
                }));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }

    @Test
    void of_concurrent_moves_from_one_version_exactly_one_lands() throws Exception {
        Mission m = mission(MissionStatus.QUEUED);
        long version = storeA.find(m.id()).orElseThrow().version();
        MissionStatus[] targets = {MissionStatus.PAUSED, MissionStatus.CANCELLED, MissionStatus.FAILED};
        int[] n = {0};
        List<Boolean> won = race(THREADS, () -> {
            MissionStatus to;
            synchronized (n) {
                to = targets[n[0]++ % targets.length];
            }
            return (n[0] % 2 == 0 ? storeA : storeB).move(m.id(), version, to);
        });
        assertThat(won.stream().filter(w -> w).count()).isEqualTo(1);
        MissionRecord after = storeA.find(m.id()).orElseThrow();
        assertThat(after.version()).isEqualTo(version + 1);
        assertThat(after.status()).isIn((Object[]) targets);
    }

    @Test
    void one_worker_gets_the_lease_and_a_takeover_happens_only_after_it_expired() throws Exception {
        Mission m = mission(MissionStatus.QUEUED);
        int[] n = {0};
        List<Optional<MissionRecord>> claims = race(THREADS, () -> {
            int i;
            synchronized (n) {
                i = n[0]++;
            }
            return (i % 2 == 0 ? storeA : storeB).claim(m.id(), "worker-" + i, Duration.ofMillis(800));
        });
        List<MissionRecord> won = claims.stream().flatMap(Optional::stream).toList();
        assertThat(won).hasSize(1);
        MissionRecord held = won.getFirst();
        assertThat(held.status()).isEqualTo(MissionStatus.RUNNING);
        assertThat(storeB.claim(m.id(), "late", Duration.ofSeconds(5))).as("the lease is live").isEmpty();
        assertThat(storeA.renew(m.id(), held.leaseOwner(), held.version(), Duration.ofMillis(800), 10)).isTrue();

        Thread.sleep(1_000); // the holder stops renewing: its lease expires
        List<Optional<MissionRecord>> takeovers = race(THREADS, () -> storeB.claim(m.id(), "successor-"
                + Thread.currentThread().threadId(), Duration.ofSeconds(30)));
        List<MissionRecord> took = takeovers.stream().flatMap(Optional::stream).toList();
        assertThat(took).hasSize(1);
        assertThat(took.getFirst().version()).isEqualTo(held.version() + 1);
        assertThat(took.getFirst().runningMs()).isEqualTo(10);
        // the old holder has lost it: it can neither renew nor move the mission
        assertThat(storeA.renew(m.id(), held.leaseOwner(), held.version(), Duration.ofSeconds(1), 0)).isFalse();
        assertThat(storeA.release(m.id(), held.leaseOwner(), held.version(), MissionStatus.COMPLETED, 0, null, null))
                .isFalse();
        assertThat(storeB.release(m.id(), took.getFirst().leaseOwner(), took.getFirst().version(),
                MissionStatus.COMPLETED, 5, null, null)).isTrue();
        assertThat(storeA.find(m.id()).orElseThrow().status()).isEqualTo(MissionStatus.COMPLETED);
    }

    @Test
    void an_attempt_whose_renewals_starved_confirms_its_lease_before_acting_and_stops_once_taken_over() throws Exception {
        Duration ttl = Duration.ofMillis(800);
        Mission m = mission(MissionStatus.QUEUED);
        long asked = System.nanoTime();
        MissionRecord held = storeA.claim(m.id(), "starved", ttl).orElseThrow();
        MissionAttempt attempt = new MissionAttempt(held, "starved", Duration.ofHours(1), asked);
        // Never handed to hold(): its timer does not renew this attempt, as if the timer thread were starved.
        try (MissionLeases leases = new MissionLeases(storeA, new MissionSettings(ttl, Duration.ofSeconds(60),
                Duration.ofSeconds(1), Duration.ofMinutes(10)))) {
            Instant granted = leaseExpiry(m.id());
            leases.confirm(attempt);
            assertThat(leaseExpiry(m.id())).as("a fresh lease is not renewed on every act").isEqualTo(granted);

            Thread.sleep(500); // past half the lease, still inside it
            leases.confirm(attempt);
            assertThat(attempt.stopReason()).isNull();
            assertThat(leaseExpiry(m.id())).as("a stale lease is renewed before the act").isAfter(granted);

            Thread.sleep(1_000); // past the whole lease: another worker takes the mission over
            assertThat(storeB.claim(m.id(), "successor", Duration.ofSeconds(30))).isPresent();
            leases.confirm(attempt);
            assertThat(attempt.stopReason()).as("the starved attempt learns it lost the lease before it acts")
                    .isEqualTo(MissionSuspended.Reason.LEASE_LOST);
        }
    }

    private static Instant leaseExpiry(UUID id) throws java.sql.SQLException {
        try (java.sql.Connection c = poolA.getConnection();
             java.sql.PreparedStatement st = c.prepareStatement("select lease_expires_at from missions where id = ?")) {
            st.setObject(1, id);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    @Test
    void two_decisions_at_once_decide_once_and_requeue_once() throws Exception {
        for (int round = 0; round < 10; round++) {
            Mission m = mission(MissionStatus.WAITING_FOR_HUMAN);
            long version = storeA.find(m.id()).orElseThrow().version();
            Checkpoint c = new CheckpointStore(poolA).create(new NewCheckpoint(m.id(), "plan", "plan_approval", "normal",
                    "Approve the plan?", "Approve?", Map.of(), List.of(), "approve", Duration.ofHours(1)));
            CountingQueue queue = new CountingQueue();
            MissionControl a = control(poolA, queue);
            MissionControl b = control(poolB, queue);
            String[] decisions = {"approve", "reject"};
            int[] n = {0};
            List<DecideOutcome> outcomes = race(2, () -> {
                int i;
                synchronized (n) {
                    i = n[0]++;
                }
                return (i == 0 ? a : b).decide(c, new Decision(decisions[i], null, null, "u" + i));
            });
            assertThat(outcomes.stream().filter(o -> o instanceof DecideOutcome.Decided).count()).isEqualTo(1);
            assertThat(outcomes.stream().filter(o -> o instanceof DecideOutcome.AlreadyResolved).count()).isEqualTo(1);
            assertThat(queue.pushed).containsExactly(m.id());
            MissionRecord after = storeA.find(m.id()).orElseThrow();
            assertThat(after.status()).isEqualTo(MissionStatus.QUEUED);
            assertThat(after.version()).isEqualTo(version + 1);
        }
    }

    @Test
    void the_same_decision_twice_is_a_repeat() {
        Mission m = mission(MissionStatus.WAITING_FOR_HUMAN);
        CheckpointStore checkpoints = new CheckpointStore(poolA);
        Checkpoint c = checkpoints.create(new NewCheckpoint(m.id(), "k", "step_review", "normal", "t", "q", Map.of(),
                List.of("approve", "modify"), "approve", Duration.ofHours(1)));
        assertThat(checkpoints.create(new NewCheckpoint(m.id(), "k", "step_review", "normal", "t", "q", Map.of(),
                List.of(), "approve", Duration.ofHours(1))).id()).as("same key, same checkpoint").isEqualTo(c.id());
        Decision modify = new Decision("modify", "shorter", null, "u1");
        assertThat(checkpoints.decide(c.id(), modify)).isInstanceOf(DecideOutcome.Decided.class);
        assertThat(checkpoints.decide(c.id(), modify)).isInstanceOf(DecideOutcome.Repeated.class);
        assertThat(checkpoints.decide(c.id(), new Decision("modify", "longer", null, "u1")))
                .isInstanceOf(DecideOutcome.AlreadyResolved.class);
        assertThat(checkpoints.expire(c.id())).as("a decided checkpoint does not expire").isEmpty();
    }

    private static MissionControl control(HikariDataSource pool, MissionQueue queue) {
        MissionStore store = new MissionStore(pool);
        return new MissionControl(store, new CheckpointStore(pool), queue, null, new LedgerBudgets(new BudgetLedger(pool)),
                new MissionMetrics(new SimpleMeterRegistry(), queue, store::countByStatus),
                new TransactionTemplate(new DataSourceTransactionManager(pool)), null, new MissionNotifier(null));
    }

    /** Records what was pushed. */
    static final class CountingQueue implements MissionQueue {
        final ConcurrentLinkedQueue<UUID> pushed = new ConcurrentLinkedQueue<>();

        @Override
        public void push(UUID missionId) {
            pushed.add(missionId);
        }

        @Override
        public Optional<UUID> take(Duration timeout) {
            return Optional.empty();
        }

        @Override
        public long depth() {
            return pushed.size();
        }
    }
}
