package io.askexpert.webhooks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Table {@code webhook_deliveries}, the outbox. A claim is one statement ({@code FOR UPDATE SKIP
 * LOCKED} inside an {@code UPDATE}), so instances polling at once never take the same delivery;
 * a claim expires, so a delivery whose instance died is sent again by another (at least once:
 * receivers deduplicate by the delivery id).
 */
final class DeliveryStore {

    /** A delivery claimed for one attempt; {@code attempt} counts this one. */
    record Claimed(UUID id, String tenantId, String eventType, String body, int attempt) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    DeliveryStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Writes the delivery; with a {@code dedupeKey} the tenant already used, nothing is written and
     * the earlier delivery's id is returned.
     */
    UUID insert(UUID id, String tenantId, String eventType, @Nullable UUID missionId, String body, @Nullable String dedupeKey) {
        int inserted = jdbc.sql("""
                INSERT INTO webhook_deliveries (id, tenant_id, event_type, mission_id, body, dedupe_key) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING""")
                .params(id, tenantId, eventType, missionId, body, dedupeKey).update();
        if (inserted == 1 || dedupeKey == null) {
            return id;
        }
        return jdbc.sql("SELECT id FROM webhook_deliveries WHERE tenant_id = ? AND dedupe_key = ?").params(tenantId, dedupeKey)
                .query(UUID.class).single();
    }

    List<Claimed> claimDue(int limit, Duration lease) {
        return jdbc.sql("""
                UPDATE webhook_deliveries d
                   SET claimed_until = now() + make_interval(secs => ?), attempt_count = d.attempt_count + 1
                 WHERE d.id IN (SELECT id FROM webhook_deliveries
                                 WHERE status = 'pending' AND next_attempt_at <= now()
                                   AND (claimed_until IS NULL OR claimed_until < now())
                                 ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING d.id, d.tenant_id, d.event_type, d.body, d.attempt_count""")
                .params(lease.toMillis() / 1000.0, limit)
                .query((rs, n) -> new Claimed(rs.getObject("id", UUID.class), rs.getString("tenant_id"),
                        rs.getString("event_type"), rs.getString("body"), rs.getInt("attempt_count")))
                .list();
    }

    /** Appends the attempt; {@code PENDING} schedules the next one after {@code retryIn}, any other status ends the delivery. */
    void record(UUID id, WebhookDelivery.Attempt attempt, WebhookDelivery.Status status, @Nullable Duration retryIn) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("attempt", attempt.attempt());
        entry.put("at", attempt.at().toString());
        entry.put("status_code", attempt.statusCode());
        entry.put("error", attempt.error());
        entry.put("duration_ms", attempt.durationMs());
        String json = JSON.writeValueAsString(List.of(entry));
        if (status == WebhookDelivery.Status.PENDING) {
            jdbc.sql("""
                    UPDATE webhook_deliveries SET attempts = attempts || ?::jsonb, last_status_code = ?, last_error = ?,
                      claimed_until = NULL, next_attempt_at = now() + make_interval(secs => ?)
                    WHERE id = ? AND status = 'pending'""")
                    .params(json, attempt.statusCode(), attempt.error(),
                            retryIn == null ? 0 : retryIn.toMillis() / 1000.0, id).update();
        } else {
            jdbc.sql("""
                    UPDATE webhook_deliveries SET attempts = attempts || ?::jsonb, last_status_code = ?, last_error = ?,
                      claimed_until = NULL, status = ?, finished_at = now()
                    WHERE id = ? AND status = 'pending'""")
                    .params(json, attempt.statusCode(), attempt.error(), status.wireName(), id).update();
        }
    }

    WebhookDelivery.Page page(String tenantId, WebhookDelivery.@Nullable Status status, int limit, int offset) {
        String where = status == null ? "tenant_id = ?" : "tenant_id = ? AND status = ?";
        List<Object> params = new ArrayList<>(List.of(tenantId));
        if (status != null) {
            params.add(status.wireName());
        }
        long total = jdbc.sql("SELECT count(*) FROM webhook_deliveries WHERE " + where).params(params)
                .query(Long.class).single();
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(limit);
        pageParams.add(offset);
        List<WebhookDelivery> rows = jdbc.sql("SELECT * FROM webhook_deliveries WHERE " + where
                        + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?").params(pageParams)
                .query((rs, n) -> delivery(rs)).list();
        return new WebhookDelivery.Page(rows, total, limit, offset);
    }

    private static WebhookDelivery delivery(ResultSet rs) throws SQLException {
        WebhookDelivery.Status status = WebhookDelivery.Status.valueOf(rs.getString("status").toUpperCase(java.util.Locale.ROOT));
        List<Map<String, Object>> raw = JSON.readValue(rs.getString("attempts"), new TypeReference<>() { });
        List<WebhookDelivery.Attempt> attempts = raw.stream().map(a -> new WebhookDelivery.Attempt(
                ((Number) a.get("attempt")).intValue(), java.time.Instant.parse((String) a.get("at")),
                a.get("status_code") == null ? null : ((Number) a.get("status_code")).intValue(),
                (String) a.get("error"), ((Number) a.get("duration_ms")).longValue())).toList();
        int code = rs.getInt("last_status_code");
        Integer lastCode = rs.wasNull() ? null : code;
        return new WebhookDelivery(rs.getObject("id", UUID.class), rs.getString("event_type"),
                rs.getObject("mission_id", UUID.class), status, rs.getInt("attempt_count"), attempts,
                status == WebhookDelivery.Status.PENDING ? WebhookStore.nullableInstant(rs, "next_attempt_at") : null,
                lastCode, rs.getString("last_error"), WebhookStore.instant(rs, "created_at"),
                WebhookStore.nullableInstant(rs, "finished_at"));
    }
}
