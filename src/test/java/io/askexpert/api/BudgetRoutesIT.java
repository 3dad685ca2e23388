package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.auth.TenantContext;
import io.askexpert.budget.BudgetLedger;
import io.askexpert.budget.ReservationRequest;
import io.askexpert.database.Migrations;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.testsupport.TestPostgres;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BudgetRoutesIT {

    private static final TenantContext ADMIN = new TenantContext("t1", "boss", true);
    private static final TenantContext USER = new TenantContext("t1", "u1", false);

    private TestPostgres db;
    private HikariDataSource dataSource;
    private BudgetLedger ledger;
    private BudgetRoutes routes;

    @BeforeEach
    void setUp() {
        db = TestPostgres.create();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(db.jdbcUrl());
        dataSource.setMaximumPoolSize(2);
        new Migrations(dataSource).upgrade(null);
        ledger = new BudgetLedger(dataSource);
        routes = new BudgetRoutes(ledger);
    }

    @AfterEach
    void tearDown() {
        dataSource.close();
        db.close();
    }

    private static Map<String, @Nullable Object> limit(@Nullable Object value) {
        Map<String, @Nullable Object> body = new HashMap<>();
        body.put("monthly_limit_usd", value);
        return body;
    }

    @Test
    void shows_the_limit_and_this_months_spend_and_an_admin_sets_or_removes_it() {
        String month = YearMonth.now(ZoneOffset.UTC).toString();
        Map<String, @Nullable Object> fresh = routes.get(USER);
        assertThat(fresh.keySet()).containsExactly("monthly_limit_usd", "month", "spent_usd", "reserved_usd");
        assertThat(fresh.get("monthly_limit_usd")).isNull();
        assertThat(fresh.get("month")).isEqualTo(month);
        assertThat((BigDecimal) fresh.get("spent_usd")).isEqualByComparingTo("0");
        assertThat((BigDecimal) fresh.get("reserved_usd")).isEqualByComparingTo("0");

        assertThat(routes.put(ADMIN, limit(25)).get("monthly_limit_usd")).isEqualTo(new BigDecimal("25"));
        assertThat(routes.put(ADMIN, limit(100)).get("monthly_limit_usd")).hasToString("100");
        assertThat(routes.put(ADMIN, limit(0.5)).get("monthly_limit_usd")).hasToString("0.5");
        routes.put(ADMIN, limit(25));
        UUID mission = UUID.randomUUID();
        ledger.openMission("t1", mission, new BigDecimal("10"));
        ledger.reserve(new ReservationRequest("t1", mission, "k", new BigDecimal("1.5"), "test"));
        Map<String, @Nullable Object> body = routes.get(USER);
        assertThat(body.get("reserved_usd")).hasToString("1.5");
        assertThat(body.get("spent_usd")).hasToString("0");
        assertThat((BigDecimal) body.get("monthly_limit_usd")).isEqualByComparingTo("25");

        assertThat(routes.put(ADMIN, limit(null)).get("monthly_limit_usd")).isNull();
        assertThat(ledger.tenantMonthlyLimit("t1")).isEmpty();
    }

    @Test
    void only_an_admin_sets_it_and_only_to_a_sensible_number() {
        assertThatThrownBy(() -> routes.put(USER, limit(25))).isInstanceOfSatisfying(AskExpertException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        for (Map<String, @Nullable Object> bad : new Map[] {limit(-1), limit("25"), limit(Double.POSITIVE_INFINITY), limit(true), limit(new BigDecimal("1e12")), Map.of(),
                Map.of("monthly_limit_usd", 5, "currency", "EUR")}) {
            assertThatThrownBy(() -> routes.put(ADMIN, bad)).as(bad.toString()).isInstanceOfSatisfying(AskExpertException.class,
                    e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION_ERROR);
                        assertThat(e.details()).containsKey("field");
                    });
        }
        assertThat(ledger.tenantMonthlyLimit("t1")).isEmpty();
    }
}
