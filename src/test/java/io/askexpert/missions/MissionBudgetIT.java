package io.askexpert.missions;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.mockllm.MockReply;
import io.askexpert.mockllm.MockScenario;
import io.askexpert.testsupport.ServiceProcess;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budgets under concurrency with real processes (an API instance and two workers with 25 mission
 * slots each, so reservations come from two connection pools at once): 50 missions of one tenant
 * start together against a tenant monthly limit set through {@code PUT /budget} that cannot pay
 * for all of them; and one mission whose step asks for eight delegations in one turn against a
 * mission limit that pays for only some. A watcher reads the ledger rows throughout.
 * What must hold: spent plus reserved never passes a limit; what was spent equals the settled
 * reservations and the cost ledger; a mission that cannot afford a call stops with a
 * {@code budget} checkpoint (when it asked for one) or fails with {@code BUDGET_EXCEEDED}.
 */
class MissionBudgetIT {

    private static final Logger log = LoggerFactory.getLogger(MissionBudgetIT.class);
    static final String TENANT = "t-mission-budget";
    static final String DELEGATING_TENANT = "t-mission-delegations";
    static final String USER = "u-budget";
    static final BigDecimal TENANT_LIMIT = new BigDecimal("0.60");
    static final BigDecimal DELEGATION_LIMIT = new BigDecimal("0.12");
    static final int MISSIONS = 50;
    static final int DELEGATIONS = 8;

    static MockLlmServer mock;
    static IdempotentReceiver receiver;
    static MissionCluster cluster;
    static ServiceProcess api;
    static final MissionHttp http = new MissionHttp(TENANT);
    static final MissionHttp delegating = new MissionHttp(DELEGATING_TENANT);

    @BeforeAll
    static void start() throws Exception {
        mock = MockLlmServer.start(MockLlmConfig.forTests().withTiming(Duration.ofMillis(300), 100, 30));
        receiver = new IdempotentReceiver(Duration.ofMillis(50));
        List<MockReply.ToolCall> calls = IntStream.rangeClosed(1, DELEGATIONS).mapToObj(i -> new MockReply.ToolCall(
                "call_ask_" + i, "consult_expert", Map.of("expert", "budget-helper",
                        "question", "What is the reporting clock for case type " + i + "?"))).toList();
        // First in the script, so that the delegating mission's step gets these instead of the http_post call.
        mock.scenario(MockScenario.reply(new MockReply.Scripted("Asking colleagues.", calls))
                .whenBodyContains("DELEGATE").whenLastMessageContains("Now do step 1")
                .whenLastMessageIs(MockScenario.LastMessage.TEXT).repeating());
        FaultScript.script(mock, receiver.url());
        cluster = new MissionCluster(mock, Map.of("WORKERS", "25", "MISSION_LEASE_TTL", "5", "DATABASE_POOL_SIZE", "5",
                "FF_HITL_STRICT", "false", "TOOL_HTTP_ALLOWED_HOSTS", "127.0.0.1:" + receiver.port(),
                "OUTBOUND_ALLOWED_HOSTS", "127.0.0.1:" + receiver.port(),
                "LLM_MAX_RETRIES", "0"), Map.of());
        api = cluster.startApi();
        cluster.startWorkers(2);
        http.seedExperts(api.base(), List.of(MissionHttp.expert("budget-lead", "claude-sonnet-4-20250514")));
        delegating.seedExperts(api.base(), List.of(MissionHttp.expert("budget-lead", "claude-sonnet-4-20250514"),
                MissionHttp.expert("budget-helper", "claude-sonnet-4-20250514")));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (mock != null) {
            mock.close();
        }
    }

    @Test
    void fifty_concurrent_missions_never_pass_the_tenant_limit_and_those_that_cannot_pay_stop_as_documented()
            throws Exception {
        http.ok(api.base(), "PUT", "/api/v1/expert/budget", http.admin(),
                "{\"monthly_limit_usd\": " + TENANT_LIMIT.toPlainString() + "}");
        AtomicReference<BigDecimal> highest = new AtomicReference<>(BigDecimal.ZERO);
        AtomicBoolean watching = new AtomicBoolean(true);
        CompletableFuture<Integer> watcher = onOwnThread(() -> watch(TENANT, highest, watching));

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < MISSIONS; i++) {
            Map<String, Object> options = i % 2 == 0
                    ? Map.of("max_steps", 2, "budget_limit_usd", 5, "require_checkpoints", true, "checkpoint_types",
                    List.of("budget"))
                    : Map.of("max_steps", 2, "budget_limit_usd", 5, "require_checkpoints", false);
            ids.add(http.create(api.base(), USER, "Notify the tracker of budget case B" + i + " and compute its deadline",
                    "budget-lead", options));
        }
        ids.parallelStream().forEach(id -> http.start(api.base(), USER, id));
        long t0 = System.nanoTime();
        String inList = "(" + String.join(",", ids.stream().map(id -> "'" + id + "'").toList()) + ")";
        awaitQuiet("select count(*) from missions where id in " + inList + " and status not in "
                + "('completed', 'failed', 'waiting_for_human')", Duration.ofMinutes(4));
        List<String> parkedOtherwise = cluster.query("select id::text from missions where id in " + inList
                + " and status = 'waiting_for_human' and not exists (select 1 from mission_checkpoints c where "
                + "c.mission_id = missions.id and c.status = 'pending' and c.type = 'budget')");
        assertThat(parkedOtherwise).as("a mission waits only on a budget checkpoint").isEmpty();
        // A person declines each budget checkpoint, until no mission waits any more.
        List<String> checkpointed = new ArrayList<>();
        long quietBy = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            List<String> pending = cluster.query("select c.id::text from mission_checkpoints c join missions m on "
                    + "m.id = c.mission_id where m.id in " + inList + " and c.status = 'pending' and c.type = 'budget'");
            checkpointed.addAll(pending);
            pending.parallelStream().forEach(c -> assertThat(http.decide(api.base(), USER, c, "reject").status())
                    .isEqualTo(200));
            if (cluster.query("select count(*) from missions where id in " + inList
                    + " and status not in ('completed', 'failed')").getFirst().equals("0")) {
                break;
            }
            assertThat(System.nanoTime()).as("missions still going\n" + cluster.errors()).isLessThan(quietBy);
            Thread.sleep(300);
        }
        long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        watching.set(false);
        int looks = watcher.get();

        Map<String, Integer> outcomes = new TreeMap<>();
        cluster.rows("select status, coalesce(error_code, '') from missions where id in " + inList)
                .forEach(r -> outcomes.merge(r.get(0) + (r.get(1).isEmpty() ? "" : ":" + r.get(1)), 1, Integer::sum));
        BigDecimal spent = decimal("select spent_usd from tenant_budget_months where tenant_id = ?", TENANT);
        BigDecimal reserved = decimal("select reserved_usd from tenant_budget_months where tenant_id = ?", TENANT);
        BigDecimal settled = decimal("select coalesce(sum(actual_usd), 0) from budget_reservations where tenant_id = ? "
                + "and status in ('settled', 'released') and actual_usd is not null", TENANT);
        BigDecimal missionsSpent = decimal("select coalesce(sum(spent_usd), 0) from mission_budgets where tenant_id = ?",
                TENANT);
        BigDecimal ledger = decimal("select coalesce(sum(cost_usd), 0) from costs where tenant_id = ?", TENANT);
        log.info("MissionBudgetIT: {} missions in {} s against a tenant limit of {} USD: outcomes {}, {} budget "
                        + "checkpoints declined; spent {} (settled reservations {}, missions {}, cost ledger {}), reserved at "
                        + "the end {}, highest spent+reserved seen {} in {} looks", MISSIONS, seconds, TENANT_LIMIT,
                outcomes, checkpointed.size(), spent, settled, missionsSpent, ledger, reserved, highest.get(), looks);

        assertThat(highest.get()).as("spent + reserved never passed the tenant limit").isLessThanOrEqualTo(TENANT_LIMIT);
        assertThat(spent).isLessThanOrEqualTo(TENANT_LIMIT);
        assertThat(reserved).as("nothing is held once every mission ended").isZero();
        assertThat(settled).isEqualByComparingTo(spent);
        assertThat(missionsSpent).isEqualByComparingTo(spent);
        assertThat(ledger).as("the cost ledger has what the missions spent").isEqualByComparingTo(spent);
        assertThat(outcomes.keySet()).as("every mission completed or stopped for its budget")
                .allMatch(k -> k.equals("completed") || k.equals("failed:BUDGET_EXCEEDED"));
        assertThat(outcomes.getOrDefault("completed", 0)).as("the limit paid for some missions").isPositive();
        assertThat(outcomes.getOrDefault("failed:BUDGET_EXCEEDED", 0)).as("and not for all").isPositive();
        assertThat(checkpointed).as("missions that asked for budget checkpoints stopped at one").isNotEmpty();
    }

    @Test
    void a_mission_asking_eight_delegations_at_once_spends_only_what_its_limit_allows() throws Exception {
        String id = delegating.create(api.base(), USER, "DELEGATE the reporting clock questions for case D1",
                "budget-lead", Map.of("max_steps", 1, "budget_limit_usd", DELEGATION_LIMIT, "require_checkpoints", false));
        AtomicReference<BigDecimal> highest = new AtomicReference<>(BigDecimal.ZERO);
        AtomicBoolean watching = new AtomicBoolean(true);
        CompletableFuture<Integer> watcher = onOwnThread(() -> watchMission(id, highest, watching));
        delegating.start(api.base(), USER, id);
        awaitQuiet("select count(*) from missions where id = '" + id + "' and status not in ('completed', 'failed')",
                Duration.ofMinutes(2));
        watching.set(false);
        watcher.get();
        List<String> row = cluster.rows("select status, error_code, error_message from missions where id = ?::uuid", id)
                .getFirst();
        BigDecimal spent = decimal("select spent_usd from mission_budgets where mission_id = ?::uuid", id);
        List<String> delegations = cluster.query("select status from budget_reservations where mission_id = ?::uuid "
                + "and key like 'step-1/tool/call_ask_%' order by key", id);
        log.info("MissionBudgetIT: delegating mission ended {} ({}); limit {} USD, spent {}, highest spent+reserved {}; "
                + "delegation reservations {}", row.get(0), row.get(2), DELEGATION_LIMIT, spent, highest.get(), delegations);
        assertThat(highest.get()).isLessThanOrEqualTo(DELEGATION_LIMIT);
        assertThat(spent).isLessThanOrEqualTo(DELEGATION_LIMIT);
        // Each delegation is held at its answer's worst case (0.0405 USD at claude-sonnet-4, one at a time)
        // and charged what its answer spent (about 0.0012 USD here), so the eight fit the limit; what the
        // mission spent is what its cost rows hold, the answers' own rows filed under it.
        assertThat(row.get(0)).as(row.toString()).isEqualTo("completed");
        assertThat(delegations).hasSize(DELEGATIONS).allMatch("settled"::equals);
        assertThat(decimal("select coalesce(sum(cost_usd), 0) from costs where mission_id = ?", id))
                .isEqualByComparingTo(spent);
        assertThat(decimal("select count(*) from costs where mission_id = ? and run_id <> (select run_id from missions "
                + "where id = ?::uuid)", id, id)).as("the eight answers' rows, each its own run's")
                .isEqualByComparingTo(BigDecimal.valueOf(DELEGATIONS));
    }

    /** A watcher on a thread of its own (the common pool has one thread on two cores). */
    private static CompletableFuture<Integer> onOwnThread(java.util.function.Supplier<Integer> task) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                f.complete(task.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private static int watch(String tenant, AtomicReference<BigDecimal> highest, AtomicBoolean watching) {
        return poll(watching, () -> cluster.query("select spent_usd + reserved_usd from tenant_budget_months where "
                + "tenant_id = ?", tenant), highest);
    }

    private static int watchMission(String id, AtomicReference<BigDecimal> highest, AtomicBoolean watching) {
        return poll(watching, () -> cluster.query("select spent_usd + reserved_usd from mission_budgets where "
                + "mission_id = ?::uuid", id), highest);
    }

    private static int poll(AtomicBoolean watching, java.util.function.Supplier<List<String>> read,
                            AtomicReference<BigDecimal> highest) {
        int looks = 0;
        while (watching.get()) {
            for (String v : read.get()) {
                highest.accumulateAndGet(new BigDecimal(v), BigDecimal::max);
            }
            looks++;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return looks;
    }

    private static BigDecimal decimal(String sql, Object... params) {
        List<String> v = cluster.query(sql, params);
        return v.isEmpty() || v.getFirst() == null ? BigDecimal.ZERO : new BigDecimal(v.getFirst());
    }

    private static void awaitQuiet(String countSql, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!cluster.query(countSql).getFirst().equals("0")) {
            assertThat(System.nanoTime()).as("still going after %s: %s\n%s", limit, countSql, cluster.errors())
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
