package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.auth.TenantContext;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.cost.CostLedger;
import io.askexpert.cost.CostRecord;
import io.askexpert.cost.CostTotals;
import io.askexpert.database.Migrations;
import io.askexpert.errors.AskExpertException;
import io.askexpert.llm.LlmEvent;
import io.askexpert.llm.Usage;
import io.askexpert.testsupport.TestPostgres;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class CostRoutesIT {

    private TestPostgres db;
    private HikariDataSource dataSource;
    private CostRoutes routes;
    private CostLedger ledger;

    @BeforeEach
    void setUp() {
        db = TestPostgres.create();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(db.jdbcUrl());
        dataSource.setMaximumPoolSize(2);
        new Migrations(dataSource).upgrade(null);
        AskExpertSettings settings = new Binder(new MapConfigurationPropertySource(Map.of("ask-expert.role", "serve")))
                .bindOrCreate("ask-expert", Bindable.of(AskExpertSettings.class));
        ledger = new CostLedger(dataSource, settings);
        routes = new CostRoutes(ledger);
    }

    @AfterEach
    void tearDown() {
        dataSource.close();
        db.close();
    }

    @Test
    void reports_the_callers_tenant_totals_split_by_model() {
        LlmEvent.Completed call = new LlmEvent.Completed(new Usage(100, 20, 30, 0), "end_turn", "claude-sonnet-4",
                "anthropic", false, new BigDecimal("0.000609"));
        ledger.record(CostRecord.of("t1", "u1", "s1", "m1", "r1", call));
        ledger.record(CostRecord.of("t2", "u1", "s1", "m9", "r9", call));

        Map<String, Object> body = routes.costs(new TenantContext("t1", "u1", false), "s1", null, null, null,
                "2020-01-01T00:00:00Z", null);

        assertThat(body).containsEntry("tenant_id", "t1").containsEntry("cost_tracking", true)
                .containsEntry("session_id", "s1");
        CostTotals totals = (CostTotals) body.get("totals");
        assertThat(totals.calls()).isEqualTo(1);
        assertThat(totals.costUsd()).isEqualByComparingTo("0.000609");
        assertThat((List<?>) body.get("by_model")).hasSize(1);
    }

    @Test
    void a_bad_period_is_a_validation_error_naming_the_field() {
        TenantContext tenant = new TenantContext("t1", "u1", false);
        assertThatThrownBy(() -> routes.costs(tenant, null, null, null, null, "yesterday", null))
                .isInstanceOf(AskExpertException.class)
                .satisfies(e -> assertThat(((AskExpertException) e).details()).containsEntry("field", "from"));
        assertThatThrownBy(() -> routes.costs(tenant, null, null, null, null, "2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z"))
                .isInstanceOf(AskExpertException.class)
                .satisfies(e -> assertThat(((AskExpertException) e).details()).containsEntry("field", "to"));
    }
}
