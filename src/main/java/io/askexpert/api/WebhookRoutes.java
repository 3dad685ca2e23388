package io.askexpert.api;

import io.askexpert.auth.TenantContext;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.webhooks.WebhookConfig;
import io.askexpert.webhooks.WebhookDelivery;
import io.askexpert.webhooks.Webhooks;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenant's webhook (docs/INTEGRATIONS.md): {@code PUT/GET/DELETE /webhook} and
 * {@code GET /webhook/deliveries}, all for the tenant's admins only. The secret is accepted on
 * {@code PUT} and never answered ({@code has_secret} says one is stored).
 */
@RestController
@RequestMapping("/api/v1/expert/webhook")
class WebhookRoutes {

    private final Webhooks webhooks;

    WebhookRoutes(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    @PutMapping
    Map<String, Object> put(TenantContext tenant, @RequestBody @Nullable Object body) {
        JsonFields.requireAdmin(tenant, "configuring the webhook");
        Map<String, @Nullable Object> fields = JsonFields.object(body);
        WebhookConfig saved = webhooks.configure(tenant.tenantId(), JsonFields.string(fields, "url"),
                JsonFields.string(fields, "secret"), JsonFields.strings(fields, "events"));
        return json(saved);
    }

    @GetMapping
    Map<String, Object> get(TenantContext tenant) {
        JsonFields.requireAdmin(tenant, "reading the webhook");
        return json(webhooks.webhook(tenant.tenantId()).orElseThrow(WebhookRoutes::none));
    }

    @DeleteMapping
    ResponseEntity<Void> delete(TenantContext tenant) {
        JsonFields.requireAdmin(tenant, "removing the webhook");
        if (!webhooks.remove(tenant.tenantId())) {
            throw none();
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/deliveries")
    Map<String, Object> deliveries(TenantContext tenant, @RequestParam(required = false) @Nullable String limit,
                                   @RequestParam(required = false) @Nullable String offset,
                                   @RequestParam(required = false) @Nullable String status) {
        JsonFields.requireAdmin(tenant, "reading webhook deliveries");
        WebhookDelivery.Page page = webhooks.deliveries(tenant.tenantId(), status(status),
                JsonFields.integer("limit", limit, 20, 1, 100), JsonFields.integer("offset", offset, 0, 0, Integer.MAX_VALUE));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deliveries", page.deliveries().stream().map(WebhookRoutes::json).toList());
        out.put("total", page.total());
        out.put("limit", page.limit());
        out.put("offset", page.offset());
        return out;
    }

    private static WebhookDelivery.@Nullable Status status(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (WebhookDelivery.Status s : WebhookDelivery.Status.values()) {
            if (s.wireName().equals(value.strip())) {
                return s;
            }
        }
        throw AskExpertException.invalid("status", "status must be pending, delivered or failed");
    }

    private static AskExpertException none() {
        return new AskExpertException(ErrorCode.NOT_FOUND, "no webhook is configured for this tenant");
    }

    private static Map<String, Object> json(WebhookConfig config) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", config.url().toString());
        out.put("events", config.eventNames());
        out.put("has_secret", true);
        out.put("created_at", config.createdAt().toString());
        out.put("updated_at", config.updatedAt().toString());
        return out;
    }

    private static Map<String, @Nullable Object> json(WebhookDelivery d) {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        out.put("id", d.id().toString());
        out.put("event_type", d.eventType());
        out.put("mission_id", d.missionId() == null ? null : d.missionId().toString());
        out.put("status", d.status().wireName());
        out.put("attempt_count", d.attemptCount());
        out.put("attempts", d.attempts().stream().map(a -> {
            Map<String, @Nullable Object> attempt = new LinkedHashMap<>();
            attempt.put("attempt", a.attempt());
            attempt.put("at", a.at().toString());
            attempt.put("status_code", a.statusCode());
            attempt.put("error", a.error());
            attempt.put("duration_ms", a.durationMs());
            return attempt;
        }).toList());
        out.put("next_attempt_at", d.nextAttemptAt() == null ? null : d.nextAttemptAt().toString());
        out.put("last_status_code", d.lastStatusCode());
        out.put("last_error", d.lastError());
        out.put("created_at", d.createdAt().toString());
        out.put("finished_at", d.finishedAt() == null ? null : d.finishedAt().toString());
        return out;
    }
}
