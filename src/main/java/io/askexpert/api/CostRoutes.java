package io.askexpert.api;

import io.askexpert.auth.TenantContext;
import io.askexpert.cost.CostFilter;
import io.askexpert.cost.CostLedger;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/expert/costs}: recorded LLM cost, optionally narrowed to a session, message
 * or run and a period ({@code from} inclusive, {@code to} exclusive, ISO-8601), with the split per
 * model. A user reads the cost of their own calls; a tenant admin reads the whole tenant's, or one
 * user's with {@code user_id}. Documented in docs/LLM.md and docs/OPERATIONS.md (security).
 */
@RestController
class CostRoutes {

    private final CostLedger ledger;

    CostRoutes(CostLedger ledger) {
        this.ledger = ledger;
    }

    @GetMapping("/api/v1/expert/costs")
    Map<String, Object> costs(TenantContext tenant,
                              @RequestParam(name = "session_id", required = false) @Nullable String sessionId,
                              @RequestParam(name = "message_id", required = false) @Nullable String messageId,
                              @RequestParam(name = "run_id", required = false) @Nullable String runId,
                              @RequestParam(name = "user_id", required = false) @Nullable String userId,
                              @RequestParam(name = "from", required = false) @Nullable String from,
                              @RequestParam(name = "to", required = false) @Nullable String to) {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (start != null && end != null && end.isBefore(start)) {
            throw AskExpertException.invalid("to", "to must not be before from");
        }
        String user = tenant.admin() ? blankToNull(userId) : tenant.userId();
        if (!tenant.admin() && userId != null && !userId.isBlank() && !userId.strip().equals(tenant.userId())) {
            throw new AskExpertException(ErrorCode.FORBIDDEN, "reading another user's costs needs the admin role",
                    Map.of("field", "user_id", "required_role", "admin"));
        }
        CostFilter filter = new CostFilter(blankToNull(sessionId), blankToNull(messageId), blankToNull(runId), start,
                end, user);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tenant_id", tenant.tenantId());
        body.put("cost_tracking", ledger.enabled());
        body.put("user_id", filter.userId());
        body.put("session_id", filter.sessionId());
        body.put("message_id", filter.messageId());
        body.put("run_id", filter.runId());
        body.put("from", start == null ? null : start.toString());
        body.put("to", end == null ? null : end.toString());
        body.put("totals", ledger.totals(tenant.tenantId(), filter));
        List<Map<String, Object>> byModel = ledger.byModel(tenant.tenantId(), filter).stream().map(m -> {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("model", m.model());
            line.put("provider", m.provider());
            line.put("totals", m.totals());
            return line;
        }).toList();
        body.put("by_model", byModel);
        return body;
    }

    private static @Nullable Instant instant(String field, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw AskExpertException.invalid(field, field + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
