package io.askexpert.budget;

import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A tenant's mission spend in one calendar month (UTC).
 *
 * @param month            {@code YYYY-MM}
 * @param monthlyLimitUsd  the limit, or {@code null} when the tenant has none
 * @param reservedUsd      held by calls in flight
 */
public record TenantMonthBudget(String tenantId, String month, @Nullable BigDecimal monthlyLimitUsd,
                                BigDecimal spentUsd, BigDecimal reservedUsd) {

    public TenantMonthBudget {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(month, "month");
        Objects.requireNonNull(spentUsd, "spentUsd");
        Objects.requireNonNull(reservedUsd, "reservedUsd");
    }
}
