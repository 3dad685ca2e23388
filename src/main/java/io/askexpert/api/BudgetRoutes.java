package io.askexpert.api;

import io.askexpert.auth.TenantContext;
import io.askexpert.budget.BudgetLedger;
import io.askexpert.budget.TenantMonthBudget;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/expert/budget}: the tenant's monthly limit on mission spend and this month's
 * (UTC) spent and reserved amounts; {@code PUT} (admin) sets the limit, {@code null} removes it.
 * Body and answer: {@code {monthly_limit_usd, month, spent_usd, reserved_usd}}. See docs/BUDGETS.md.
 */
@RestController
class BudgetRoutes {

    /** A sanity bound: a limit above this is a typo, not a budget. */
    private static final BigDecimal MAX_LIMIT = new BigDecimal("1000000000");

    private final BudgetLedger ledger;

    BudgetRoutes(BudgetLedger ledger) {
        this.ledger = ledger;
    }

    @GetMapping("/api/v1/expert/budget")
    Map<String, @Nullable Object> get(TenantContext tenant) {
        return json(ledger.tenantMonth(tenant.tenantId()));
    }

    @PutMapping("/api/v1/expert/budget")
    Map<String, @Nullable Object> put(TenantContext tenant, @RequestBody @Nullable Map<String, @Nullable Object> body) {
        if (!tenant.admin()) {
            throw new AskExpertException(ErrorCode.FORBIDDEN, "setting the tenant's budget needs the admin role",
                    Map.of("required_role", "admin"));
        }
        if (body == null || !body.containsKey("monthly_limit_usd")) {
            throw AskExpertException.invalid("monthly_limit_usd", "monthly_limit_usd is required (a number of USD, or null for no limit)");
        }
        for (String field : body.keySet()) {
            if (!field.equals("monthly_limit_usd")) {
                throw AskExpertException.invalid(field, field + " is not a field of the budget (only monthly_limit_usd is set)");
            }
        }
        Object value = body.get("monthly_limit_usd");
        BigDecimal limit = null;
        if (value != null) {
            // A JSON number too large for a double (1e400) arrives as infinity.
            if (!(value instanceof Number n) || (n instanceof Double d && !Double.isFinite(d))) {
                throw AskExpertException.invalid("monthly_limit_usd", "monthly_limit_usd must be a number or null");
            }
            limit = new BigDecimal(n.toString());
            if (limit.signum() < 0 || limit.compareTo(MAX_LIMIT) > 0) {
                throw AskExpertException.invalid("monthly_limit_usd", "monthly_limit_usd must be between 0 and " + MAX_LIMIT.toPlainString());
            }
        }
        ledger.setTenantMonthlyLimit(tenant.tenantId(), limit);
        return json(ledger.tenantMonth(tenant.tenantId()));
    }

    private static Map<String, @Nullable Object> json(TenantMonthBudget budget) {
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("monthly_limit_usd", budget.monthlyLimitUsd() == null ? null : plain(budget.monthlyLimitUsd()));
        body.put("month", budget.month());
        body.put("spent_usd", plain(budget.spentUsd()));
        body.put("reserved_usd", plain(budget.reservedUsd()));
        return body;
    }

    /** Without the column's trailing zeros, never in exponent form: 0 rather than 0E-8, 25 rather than 25.00000000. */
    private static BigDecimal plain(BigDecimal amount) {
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
