package io.askexpert.cost;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.database.Migrations;
import io.askexpert.llm.LlmEvent;
import io.askexpert.llm.LlmFailure;
import io.askexpert.llm.Usage;
import io.askexpert.testsupport.TestPostgres;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class CostLedgerIT {

    private TestPostgres db;
    private HikariDataSource dataSource;
    private CostLedger ledger;

    @BeforeEach
    void setUp() {
        db = TestPostgres.create();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(db.jdbcUrl());
        dataSource.setMaximumPoolSize(2);
        new Migrations(dataSource).upgrade(null);
        ledger = new CostLedger(JdbcClient.create(dataSource), true);
    }

    @AfterEach
    void tearDown() {
        dataSource.close();
        db.close();
    }

    private static LlmEvent.Completed completed(String model, long in, long out, long read, long write, String usd) {
        return new LlmEvent.Completed(new Usage(in, out, read, write), "end_turn", model, "anthropic", false,
                new BigDecimal(usd));
    }

    @Test
    void sums_per_message_session_run_and_tenant() {
        ledger.record(CostRecord.of("t1", "u1", "s1", "m1", "r1", completed("claude-sonnet-4", 100, 50, 10, 5, "0.00100000")));
        ledger.record(CostRecord.of("t1", "u1", "s1", "m2", "r2", completed("claude-sonnet-4", 200, 70, 0, 0, "0.00200000")));
        ledger.record(CostRecord.of("t1", "u1", "s2", "m3", "r3", completed("gpt-4o-mini", 10, 10, 0, 0, "0.00001000")));

        CostTotals session = ledger.totals("t1", CostFilter.session("s1"));
        assertThat(session.inputTokens()).isEqualTo(300);
        assertThat(session.outputTokens()).isEqualTo(120);
        assertThat(session.cacheReadTokens()).isEqualTo(10);
        assertThat(session.cacheWriteTokens()).isEqualTo(5);
        assertThat(session.totalTokens()).isEqualTo(435);
        assertThat(session.costUsd()).isEqualByComparingTo("0.003");
        assertThat(session.calls()).isEqualTo(2);

        assertThat(ledger.totals("t1", CostFilter.message("m2")).costUsd()).isEqualByComparingTo("0.002");
        assertThat(ledger.totals("t1", CostFilter.run("r3")).outputTokens()).isEqualTo(10);
        assertThat(ledger.totals("t1", CostFilter.ALL).costUsd()).isEqualByComparingTo("0.00301");
        assertThat(ledger.byModel("t1", CostFilter.ALL)).extracting(CostLedger.ModelTotals::model)
                .containsExactly("claude-sonnet-4", "gpt-4o-mini");
        Map<String, CostTotals> sessions = ledger.sessionTotals("t1", List.of("s1", "s2", "s-none"));
        assertThat(sessions.get("s2").costUsd()).isEqualByComparingTo("0.00001");
        assertThat(sessions.get("s-none")).isEqualTo(CostTotals.NONE);
    }

    @Test
    void another_tenant_sees_none_of_it() {
        ledger.record(CostRecord.of("t1", "u1", "s1", "m1", "r1", completed("claude-sonnet-4", 100, 50, 0, 0, "0.5")));
        assertThat(ledger.totals("t2", CostFilter.session("s1"))).isEqualTo(CostTotals.NONE);
        assertThat(ledger.totals("t2", CostFilter.ALL).calls()).isZero();
        assertThat(ledger.sessionTotals("t2", List.of("s1")).get("s1").calls()).isZero();
    }

    @Test
    void records_a_cancelled_call_with_its_partial_usage() {
        LlmEvent.Failed cancelled = new LlmEvent.Failed(LlmFailure.of(LlmFailure.Kind.CANCELLED, "cancelled"), false,
                new Usage(40, 3, 0, 0), "claude-sonnet-4", "anthropic");
        ledger.record(CostRecord.of("t1", "u1", "s1", "m1", "r1", cancelled, new BigDecimal("0.000165")));
        String outcome = JdbcClient.create(dataSource).sql("SELECT outcome FROM costs").query(String.class).single();
        assertThat(outcome).isEqualTo("cancelled");
        assertThat(ledger.totals("t1", CostFilter.run("r1")).outputTokens()).isEqualTo(3);
    }

    @Test
    void a_period_filter_bounds_the_tenant_total() {
        ledger.record(CostRecord.of("t1", "u1", null, null, null, completed("claude-sonnet-4", 1, 1, 0, 0, "1")));
        Instant now = Instant.now();
        assertThat(ledger.totals("t1", new CostFilter(null, null, null, now.minus(1, ChronoUnit.HOURS),
                now.plus(1, ChronoUnit.HOURS))).calls()).isEqualTo(1);
        assertThat(ledger.totals("t1", new CostFilter(null, null, null, now.plus(1, ChronoUnit.HOURS), null)).calls())
                .isZero();
    }

    @Test
    void writes_nothing_when_cost_tracking_is_off() {
        CostLedger off = new CostLedger(JdbcClient.create(dataSource), false);
        assertThat(off.record(CostRecord.of("t1", "u1", "s1", "m1", "r1", completed("claude-sonnet-4", 1, 1, 0, 0, "1"))))
                .isEmpty();
        assertThat(off.enabled()).isFalse();
        assertThat(ledger.totals("t1", CostFilter.ALL).calls()).isZero();
    }
}
