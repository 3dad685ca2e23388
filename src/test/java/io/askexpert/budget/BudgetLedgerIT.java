package io.askexpert.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.database.Migrations;
import io.askexpert.errors.AskExpertException;
import io.askexpert.testsupport.TestPostgres;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The ledger on the real PostgreSQL, used as several instances would: two ledgers, each with its
 * own connection pool, share the database. Every concurrency test checks the invariant the
 * contract states (spent + reserved never above a limit while calls whose estimate bounds their
 * cost run) at the end and while the threads are still running.
 */
class BudgetLedgerIT {

    private static final int THREADS = 50;

    private static TestPostgres db;
    private static HikariDataSource poolA;
    private static HikariDataSource poolB;
    private static BudgetLedger ledgerA;
    private static BudgetLedger ledgerB;
    private static JdbcClient jdbc;

    @BeforeAll
    static void setUp() {
        db = TestPostgres.create();
        poolA = pool();
        poolB = pool();
        new Migrations(poolA).upgrade(null);
        ledgerA = new BudgetLedger(poolA);
        ledgerB = new BudgetLedger(poolB);
        jdbc = JdbcClient.create(poolA);
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

    private static String tenant() {
        return "t-" + UUID.randomUUID();
    }

    private static BigDecimal usd(String amount) {
        return new BigDecimal(amount);
    }

    private static ReservationRequest request(String tenant, UUID mission, String key, String amount) {
        return new ReservationRequest(tenant, mission, key, usd(amount), "test");
    }

    private static Reservation reserved(ReserveOutcome outcome) {
        assertThat(outcome).isInstanceOf(ReserveOutcome.Reserved.class);
        return ((ReserveOutcome.Reserved) outcome).reservation();
    }

    /** 50 threads on two "instances" reserve, then settle at or below the estimate, on one mission's limit. */
    @RepeatedTest(3)
    void fifty_concurrent_callers_never_pass_a_missions_limit() throws Exception {
        String tenant = tenant();
        UUID mission = UUID.randomUUID();
        ledgerA.openMission(tenant, mission, usd("1.00"));
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        List<String> violations = watch(() -> {
            MissionBudget b = ledgerA.missionBudget(mission);
            return b.spentUsd().add(b.reservedUsd()).compareTo(b.limitUsd()) > 0 ? "mission at " + b : null;
        }, () -> hammer(THREADS, 8, (thread, round) -> {
            BudgetLedger ledger = thread % 2 == 0 ? ledgerA : ledgerB;
            ReserveOutcome outcome = ledger.reserve(request(tenant, mission, "call-" + thread + "-" + round, "0.03"));
            switch (outcome) {
                case ReserveOutcome.Reserved r -> {
                    granted.incrementAndGet();
                    // The real cost is at most the estimate: 0.00 to 0.03.
                    ledger.settle(r.reservation().id(), usd("0.03").multiply(BigDecimal.valueOf(ThreadLocalRandom.current().nextInt(4)))
                            .divide(BigDecimal.valueOf(3), 8, java.math.RoundingMode.DOWN));
                }
                case ReserveOutcome.Refused f -> {
                    refused.incrementAndGet();
                    // committedUsd is read just after the refusal, when a settle may already have freed room.
                    assertThat(f.scope()).isEqualTo(BudgetScope.MISSION);
                    assertThat(f.limitUsd()).isEqualByComparingTo("1.00");
                }
            }
        }));

        MissionBudget end = ledgerA.missionBudget(mission);
        assertThat(violations).isEmpty();
        assertThat(end.spentUsd()).isLessThanOrEqualTo(usd("1.00"));
        assertThat(end.reservedUsd()).isEqualByComparingTo("0");
        assertThat(granted.get() + refused.get()).isEqualTo(THREADS * 8);
        assertThat(granted.get()).isGreaterThanOrEqualTo(33); // 33 × 0.03 fit even if every call cost its whole estimate
        assertThat(refused.get()).isPositive();
        assertThat(settledSum(mission)).isEqualByComparingTo(end.spentUsd());
    }

    /** 50 missions of one tenant, each with room of its own, share the tenant's monthly limit. */
    @RepeatedTest(3)
    void fifty_concurrent_missions_never_pass_the_tenants_monthly_limit() throws Exception {
        String tenant = tenant();
        ledgerA.setTenantMonthlyLimit(tenant, usd("2.00"));
        List<UUID> missions = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            UUID mission = UUID.randomUUID();
            ledgerA.openMission(tenant, mission, usd("0.50"));
            missions.add(mission);
        }
        AtomicInteger tenantRefusals = new AtomicInteger();
        List<String> violations = watch(() -> {
            TenantMonthBudget b = ledgerA.tenantMonth(tenant);
            return b.spentUsd().add(b.reservedUsd()).compareTo(usd("2.00")) > 0 ? "tenant month at " + b : null;
        }, () -> hammer(THREADS, 6, (thread, round) -> {
            BudgetLedger ledger = thread % 2 == 0 ? ledgerA : ledgerB;
            UUID mission = missions.get(thread);
            ReserveOutcome outcome = ledger.reserve(request(tenant, mission, "llm-" + round, "0.02"));
            if (outcome instanceof ReserveOutcome.Reserved r) {
                if (round % 3 == 2) {
                    ledger.release(r.reservation().id());
                } else {
                    ledger.settle(r.reservation().id(), usd("0.02"));
                }
            } else if (outcome instanceof ReserveOutcome.Refused f && f.scope() == BudgetScope.TENANT_MONTH) {
                tenantRefusals.incrementAndGet();
                assertThat(f.limitUsd()).isEqualByComparingTo("2.00");
            }
        }));

        TenantMonthBudget end = ledgerA.tenantMonth(tenant);
        assertThat(violations).isEmpty();
        assertThat(end.spentUsd()).isLessThanOrEqualTo(usd("2.00"));
        assertThat(end.reservedUsd()).isEqualByComparingTo("0");
        assertThat(tenantRefusals.get()).isPositive();
        BigDecimal missionsSpent = missions.stream().map(m -> ledgerA.missionBudget(m).spentUsd())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(missionsSpent).isEqualByComparingTo(end.spentUsd());
        // No update lost: the month's spent is exactly what the settled reservations say they cost.
        assertThat(jdbc.sql("SELECT coalesce(sum(actual_usd), 0) FROM budget_reservations WHERE tenant_id = :t AND status = 'settled'")
                .param("t", tenant).query(BigDecimal.class).single()).isEqualByComparingTo(end.spentUsd());
        assertThat(end.spentUsd()).isGreaterThan(usd("1.00"));
    }

    /** One mission, parallel delegations each reserving under keys of their own, with a takeover retrying keys. */
    @Test
    void parallel_delegations_of_one_mission_with_retried_keys_hold_each_key_once() throws Exception {
        String tenant = tenant();
        UUID mission = UUID.randomUUID();
        ledgerA.openMission(tenant, mission, usd("0.50"));
        ConcurrentLinkedQueue<UUID> ids = new ConcurrentLinkedQueue<>();
        hammer(THREADS, 4, (thread, round) -> {
            // Two threads share each key, as a worker and the worker that took over from it would.
            String key = "step-1/delegation-" + (thread / 2) + "/llm-" + round;
            ReserveOutcome outcome = (thread % 2 == 0 ? ledgerA : ledgerB).reserve(request(tenant, mission, key, "0.01"));
            if (outcome instanceof ReserveOutcome.Reserved r) {
                ids.add(r.reservation().id());
            }
        });
        MissionBudget held = ledgerA.missionBudget(mission);
        long distinct = ids.stream().distinct().count();
        assertThat(held.reservedUsd()).isEqualByComparingTo(usd("0.01").multiply(BigDecimal.valueOf(distinct)));
        assertThat(held.reservedUsd()).isLessThanOrEqualTo(usd("0.50"));
        assertThat(distinct).isEqualTo(50); // 25 delegations × 4 calls = 100 keys, 50 fit
        for (UUID id : ids) {
            ledgerB.settle(id, usd("0.01"));
        }
        assertThat(ledgerA.missionBudget(mission).spentUsd()).isEqualByComparingTo("0.50");
        assertThat(ledgerA.missionBudget(mission).reservedUsd()).isEqualByComparingTo("0");

        // Every settled call retried at once by both threads of its pair: one new attempt per key, within the raised limit.
        ledgerA.raiseMissionLimit(mission, usd("0.80"));
        ConcurrentLinkedQueue<UUID> retries = new ConcurrentLinkedQueue<>();
        hammer(THREADS, 4, (thread, round) -> {
            String key = "step-1/delegation-" + (thread / 2) + "/llm-" + round;
            ReserveOutcome outcome = (thread % 2 == 0 ? ledgerB : ledgerA).reserve(request(tenant, mission, key, "0.01"));
            if (outcome instanceof ReserveOutcome.Reserved r) {
                retries.add(r.reservation().id());
            }
        });
        long retried = retries.stream().distinct().count();
        assertThat(retries.stream().distinct()).doesNotContainAnyElementsOf(ids);
        assertThat(retried).isEqualTo(30); // 0.30 of room left: 30 of the 100 keys, each held once
        assertThat(ledgerA.missionBudget(mission).reservedUsd()).isEqualByComparingTo("0.30");
        assertThat(jdbc.sql("SELECT count(*) FROM budget_reservations WHERE mission_id = :m AND status = 'open'")
                .param("m", mission).query(Integer.class).single()).isEqualTo(30);
    }

    @Test
    void the_same_key_returns_the_same_reservation_and_settle_and_release_are_idempotent() {
        String tenant = tenant();
        UUID mission = UUID.randomUUID();
        ledgerA.openMission(tenant, mission, usd("1.00"));
        ledgerA.openMission(tenant, mission, usd("9.00")); // idempotent: the first limit stays

        Reservation first = reserved(ledgerA.reserve(request(tenant, mission, "step-1/llm-1", "0.20")));
        Reservation again = reserved(ledgerB.reserve(request(tenant, mission, "step-1/llm-1", "0.20")));
        assertThat(again).isEqualTo(first);
        assertThat(ledgerA.missionBudget(mission)).isEqualTo(new MissionBudget(usd("1.00000000"), usd("0E-8"), usd("0.20000000")));

        ledgerA.settle(first.id(), usd("0.15"));
        ledgerB.settle(first.id(), usd("0.15"));
        ledgerA.settle(first.id(), usd("0.90")); // a different amount after settling changes nothing either
        ledgerA.release(first.id());
        assertThat(ledgerA.missionBudget(mission).spentUsd()).isEqualByComparingTo("0.15");
        assertThat(ledgerA.missionBudget(mission).reservedUsd()).isEqualByComparingTo("0");

        // The same key after settling is the call running again (a retry): a new attempt, held and charged on its own.
        Reservation retry = reserved(ledgerA.reserve(request(tenant, mission, "step-1/llm-1", "0.20")));
        assertThat(retry.id()).isNotEqualTo(first.id());
        assertThat(reserved(ledgerB.reserve(request(tenant, mission, "step-1/llm-1", "0.20")))).isEqualTo(retry);
        assertThat(ledgerA.missionBudget(mission).reservedUsd()).isEqualByComparingTo("0.20");
        ledgerA.settle(retry.id(), usd("0.05"));
        ledgerA.settle(first.id(), usd("0.15")); // the first attempt's settle repeated late changes nothing
        assertThat(ledgerA.missionBudget(mission).spentUsd()).isEqualByComparingTo("0.20");
        assertThat(jdbc.sql("SELECT attempt FROM budget_reservations WHERE id = :id").param("id", retry.id())
                .query(Integer.class).single()).isEqualTo(2);

        Reservation second = reserved(ledgerA.reserve(request(tenant, mission, "step-1/llm-2", "0.30")));
        ledgerA.release(second.id());
        ledgerB.release(second.id());
        ledgerA.settle(second.id(), usd("0.01")); // a call that ran after all is still charged
        ledgerA.settle(second.id(), usd("0.01"));
        assertThat(ledgerA.missionBudget(mission).spentUsd()).isEqualByComparingTo("0.21");
        assertThat(ledgerA.missionBudget(mission).reservedUsd()).isEqualByComparingTo("0");
        assertThat(ledgerA.tenantMonth(tenant).spentUsd()).isEqualByComparingTo("0.21");
        assertThat(ledgerA.tenantMonth(tenant).reservedUsd()).isEqualByComparingTo("0");
    }

    @Test
    void settling_above_the_estimate_charges_the_real_cost() {
        String tenant = tenant();
        UUID mission = UUID.randomUUID();
        ledgerA.openMission(tenant, mission, usd("1.00"));
        Reservation r = reserved(ledgerA.reserve(request(tenant, mission, "k", "0.90")));
        ledgerA.settle(r.id(), usd("1.25"));
        MissionBudget b = ledgerA.missionBudget(mission);
        assertThat(b.spentUsd()).isEqualByComparingTo("1.25");
        assertThat(b.reservedUsd()).isEqualByComparingTo("0");
        assertThat(b.remaining()).isEqualByComparingTo("-0.25");
        assertThat(ledgerA.reserve(request(tenant, mission, "k2", "0"))).isInstanceOf(ReserveOutcome.Refused.class);
        assertThat(ledgerA.tenantMonth(tenant).spentUsd()).isEqualByComparingTo("1.25");
    }

    @Test
    void a_refusal_names_the_limit_and_what_was_committed_and_a_raised_limit_lets_the_call_run() {
        String tenant = tenant();
        UUID mission = UUID.randomUUID();
        ledgerA.openMission(tenant, mission, usd("1.00"));
        ledgerA.settle(reserved(ledgerA.reserve(request(tenant, mission, "a", "0.60"))).id(), usd("0.60"));
        reserved(ledgerA.reserve(request(tenant, mission, "b", "0.30")));

        ReserveOutcome outcome = ledgerA.reserve(request(tenant, mission, "c", "0.20"));
        assertThat(outcome).isEqualTo(new ReserveOutcome.Refused(BudgetScope.MISSION, usd("1.00000000"), usd("0.90000000"), usd("0.20000000")));
        assertThat(jdbc.sql("SELECT count(*) FROM budget_reservations WHERE mission_id = :m AND key = 'c'")
                .param("m", mission).query(Integer.class).single()).isZero();

        ledgerA.raiseMissionLimit(mission, usd("1.50"));
        ledgerA.raiseMissionLimit(mission, usd("1.20")); // never lowers
        assertThat(ledgerA.missionBudget(mission).limitUsd()).isEqualByComparingTo("1.50");
        reserved(ledgerA.reserve(request(tenant, mission, "c", "0.20")));

        ledgerA.setTenantMonthlyLimit(tenant, usd("1.20"));
        assertThat(ledgerA.tenantMonthlyLimit(tenant)).contains(usd("1.20000000"));
        ReserveOutcome tenantRefusal = ledgerA.reserve(request(tenant, mission, "d", "0.20"));
        assertThat(tenantRefusal).isEqualTo(new ReserveOutcome.Refused(BudgetScope.TENANT_MONTH, usd("1.20000000"),
                usd("1.10000000"), usd("0.20000000")));
        ledgerA.setTenantMonthlyLimit(tenant, null);
        assertThat(ledgerA.tenantMonthlyLimit(tenant)).isEmpty();
        reserved(ledgerA.reserve(request(tenant, mission, "d", "0.20")));
    }

    @Test
    void a_mission_that_ends_frees_what_it_holds() {
        String tenant = tenant();
        UUID mission = UUID.randomUUID();
        ledgerA.openMission(tenant, mission, usd("1.00"));
        reserved(ledgerA.reserve(request(tenant, mission, "a", "0.10")));
        reserved(ledgerA.reserve(request(tenant, mission, "b", "0.20")));
        ledgerA.settle(reserved(ledgerA.reserve(request(tenant, mission, "c", "0.30"))).id(), usd("0.05"));
        assertThat(ledgerA.releaseOpen(mission)).isEqualTo(2);
        assertThat(ledgerA.releaseOpen(mission)).isZero();
        assertThat(ledgerA.missionBudget(mission)).satisfies(b -> {
            assertThat(b.reservedUsd()).isEqualByComparingTo("0");
            assertThat(b.spentUsd()).isEqualByComparingTo("0.05");
        });
        assertThat(ledgerA.tenantMonth(tenant).reservedUsd()).isEqualByComparingTo("0");
    }

    @Test
    void a_stale_reservation_is_released_and_the_takeover_holds_the_same_row_again() throws Exception {
        String tenant = tenant();
        UUID mission = UUID.randomUUID();
        ledgerA.openMission(tenant, mission, usd("1.00"));
        Reservation abandoned = reserved(ledgerA.reserve(request(tenant, mission, "step-2/tool/toolu_01", "0.40")));
        jdbc.sql("UPDATE budget_reservations SET held_at = now() - interval '1 hour' WHERE id = :id")
                .param("id", abandoned.id()).update();
        Reservation fresh = reserved(ledgerA.reserve(request(tenant, mission, "step-2/tool/toolu_02", "0.40")));

        try (StaleReservations duty = new StaleReservations(ledgerB, Duration.ofMinutes(15), Duration.ofHours(1))) {
            assertThat(duty.sweep()).isEqualTo(1);
            assertThat(duty.sweep()).isZero();
        }
        assertThat(status(abandoned.id())).isEqualTo("released");
        assertThat(status(fresh.id())).isEqualTo("open");
        assertThat(ledgerA.missionBudget(mission).reservedUsd()).isEqualByComparingTo("0.40");

        // The worker that takes the mission over reserves under the same key: the same row, held again.
        Reservation takeover = reserved(ledgerB.reserve(request(tenant, mission, "step-2/tool/toolu_01", "0.40")));
        assertThat(takeover.id()).isEqualTo(abandoned.id());
        assertThat(status(abandoned.id())).isEqualTo("open");
        assertThat(ledgerA.missionBudget(mission).reservedUsd()).isEqualByComparingTo("0.80");
        // While it is open, the same key keeps answering the same row.
        assertThat(reserved(ledgerA.reserve(request(tenant, mission, "step-2/tool/toolu_01", "0.40"))).id()).isEqualTo(abandoned.id());
        assertThat(ledgerA.missionBudget(mission).reservedUsd()).isEqualByComparingTo("0.80");

        // Held again only under the limit: with the room taken, the re-reservation is refused and the row stays released.
        ledgerA.release(takeover.id());
        reserved(ledgerA.reserve(request(tenant, mission, "other", "0.50")));
        assertThat(ledgerB.reserve(request(tenant, mission, "step-2/tool/toolu_01", "0.40"))).isInstanceOf(ReserveOutcome.Refused.class);
        assertThat(status(abandoned.id())).isEqualTo("released");
        assertThat(ledgerA.missionBudget(mission).reservedUsd()).isEqualByComparingTo("0.90");
    }

    @Test
    void a_reservation_counts_against_the_month_it_was_made_in_even_when_settled_in_the_next() {
        String tenant = tenant();
        UUID mission = UUID.randomUUID();
        BudgetLedger january = new BudgetLedger(poolA, Clock.fixed(Instant.parse("2031-01-31T23:59:00Z"), ZoneOffset.UTC));
        BudgetLedger february = new BudgetLedger(poolA, Clock.fixed(Instant.parse("2031-02-01T00:01:00Z"), ZoneOffset.UTC));
        january.openMission(tenant, mission, usd("5"));
        Reservation r = reserved(january.reserve(request(tenant, mission, "k", "0.50")));
        february.settle(r.id(), usd("0.40"));
        assertThat(january.tenantMonth(tenant).month()).isEqualTo("2031-01");
        assertThat(january.tenantMonth(tenant).spentUsd()).isEqualByComparingTo("0.40");
        assertThat(january.tenantMonth(tenant).reservedUsd()).isEqualByComparingTo("0");
        assertThat(february.tenantMonth(tenant).spentUsd()).isEqualByComparingTo("0");
    }

    @Test
    void an_unknown_mission_or_another_tenants_mission_is_refused_loudly() {
        String tenant = tenant();
        UUID mission = UUID.randomUUID();
        assertThatThrownBy(() -> ledgerA.missionBudget(mission)).isInstanceOf(AskExpertException.class);
        assertThatThrownBy(() -> ledgerA.reserve(request(tenant, mission, "k", "0.1"))).isInstanceOf(AskExpertException.class);
        assertThatThrownBy(() -> ledgerA.raiseMissionLimit(mission, usd("2"))).isInstanceOf(AskExpertException.class);
        ledgerA.openMission(tenant, mission, usd("1"));
        assertThatThrownBy(() -> ledgerA.reserve(request("someone-else", mission, "k", "0.1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledgerA.settle(UUID.randomUUID(), usd("0.1"))).isInstanceOf(IllegalArgumentException.class);
    }

    private static String status(UUID reservation) {
        return jdbc.sql("SELECT status FROM budget_reservations WHERE id = :id").param("id", reservation).query(String.class).single();
    }

    private static BigDecimal settledSum(UUID mission) {
        return jdbc.sql("SELECT coalesce(sum(actual_usd), 0) FROM budget_reservations WHERE mission_id = :m AND status = 'settled'")
                .param("m", mission).query(BigDecimal.class).single();
    }

    @FunctionalInterface
    interface Call {
        void run(int thread, int round) throws Exception;
    }

    /** {@code threads} threads released together, each running {@code rounds} calls; rethrows the first failure. */
    private static void hammer(int threads, int rounds, Call call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < rounds; round++) {
                        call.run(thread, round);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        }
    }

    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    /** Runs {@code work} while another thread keeps reading {@code probe}; returns every violation it saw. */
    private static List<String> watch(java.util.function.Supplier<String> probe, Work work) throws Exception {
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                String violation = probe.get();
                if (violation != null && seen.size() < 5) {
                    seen.add(violation);
                }
            }
        });
        try {
            work.run();
        } finally {
            done.set(true);
            watcher.join();
        }
        return List.copyOf(seen);
    }
}
