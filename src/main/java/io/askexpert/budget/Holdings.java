package io.askexpert.budget;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The money statements on the two limit rows, each a single conditional UPDATE. They run inside
 * the caller's transaction and always in the order mission row, then tenant month row (after the
 * reservation row), so two transactions never wait on each other in a cycle.
 */
final class Holdings {

    private final JdbcClient jdbc;

    Holdings(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Holds {@code amount} on the mission and on the tenant's month, or says which limit refused it.
     * PostgreSQL re-checks a conditional UPDATE's WHERE against the row a concurrent writer just
     * committed before writing, so two callers can never both pass the same headroom.
     */
    Optional<ReserveOutcome.Refused> hold(UUID missionId, String tenantId, String month, BigDecimal amount) {
        int mission = jdbc.sql("""
                        UPDATE mission_budgets SET reserved_usd = reserved_usd + :x, updated_at = now()
                        WHERE mission_id = :m AND spent_usd + reserved_usd + :x <= limit_usd""")
                .param("x", amount).param("m", missionId).update();
        if (mission == 0) {
            return Optional.of(jdbc.sql("SELECT limit_usd, spent_usd + reserved_usd AS committed FROM mission_budgets WHERE mission_id = :m")
                    .param("m", missionId)
                    .query((rs, n) -> new ReserveOutcome.Refused(BudgetScope.MISSION, rs.getBigDecimal("limit_usd"),
                            rs.getBigDecimal("committed"), amount))
                    .single());
        }
        jdbc.sql("INSERT INTO tenant_budget_months (tenant_id, month) VALUES (:t, :mo) ON CONFLICT DO NOTHING")
                .param("t", tenantId).param("mo", month).update();
        // The limit is read first and bound as a value: PostgreSQL re-checks a conditional UPDATE
        // against the row a concurrent writer committed, but a join in its WHERE (a NOT EXISTS
        // against tenant_budgets becomes an anti-join) is re-checked against no inner row at all and
        // passes, which let 50 concurrent missions overshoot a tenant's limit in BudgetLedgerIT.
        BigDecimal limit = jdbc.sql("SELECT monthly_limit_usd FROM tenant_budgets WHERE tenant_id = :t")
                .param("t", tenantId).query(BigDecimal.class).optional().orElse(null);
        int tenant = jdbc.sql(limit == null
                        ? "UPDATE tenant_budget_months SET reserved_usd = reserved_usd + :x WHERE tenant_id = :t AND month = :mo"
                        : """
                          UPDATE tenant_budget_months SET reserved_usd = reserved_usd + :x
                          WHERE tenant_id = :t AND month = :mo AND spent_usd + reserved_usd + :x <= :limit""")
                .param("x", amount).param("t", tenantId).param("mo", month).param("limit", limit).update();
        if (tenant == 0) {
            BigDecimal committed = jdbc.sql("SELECT spent_usd + reserved_usd FROM tenant_budget_months WHERE tenant_id = :t AND month = :mo")
                    .param("t", tenantId).param("mo", month).query(BigDecimal.class).single();
            return Optional.of(new ReserveOutcome.Refused(BudgetScope.TENANT_MONTH, Objects.requireNonNull(limit), committed, amount));
        }
        return Optional.empty();
    }

    /** Moves a held amount to spent ({@code heldUsd} zero when the hold was already given back). */
    void spend(UUID missionId, String tenantId, String month, BigDecimal heldUsd, BigDecimal actualUsd) {
        jdbc.sql("""
                        UPDATE mission_budgets SET reserved_usd = reserved_usd - :held, spent_usd = spent_usd + :actual,
                                                   updated_at = now()
                        WHERE mission_id = :m""")
                .param("held", heldUsd).param("actual", actualUsd).param("m", missionId).update();
        jdbc.sql("""
                        INSERT INTO tenant_budget_months (tenant_id, month, spent_usd) VALUES (:t, :mo, :actual)
                        ON CONFLICT (tenant_id, month) DO UPDATE
                        SET reserved_usd = tenant_budget_months.reserved_usd - :held,
                            spent_usd = tenant_budget_months.spent_usd + :actual""")
                .param("held", heldUsd).param("actual", actualUsd).param("t", tenantId).param("mo", month).update();
    }

    /** Gives a held amount back without spending it. */
    void free(UUID missionId, String tenantId, String month, BigDecimal heldUsd) {
        spend(missionId, tenantId, month, heldUsd, BigDecimal.ZERO);
    }
}
