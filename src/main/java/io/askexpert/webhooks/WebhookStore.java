package io.askexpert.webhooks;

import java.net.URI;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Table {@code webhooks}: one row per tenant. The secret is read only by {@link #target(String)}. */
final class WebhookStore {

    /** What delivery needs: where, with which key, for which events. */
    record Target(URI url, String secret, Set<NotificationType> events) {
        @Override
        public String toString() {
            return "Target[url host=" + url.getHost() + ", secret=******]";
        }
    }

    private final JdbcClient jdbc;

    WebhookStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates or replaces the tenant's webhook; a null secret keeps the one stored (the caller checked there is one). */
    WebhookConfig save(String tenantId, URI url, @Nullable String secret, Set<NotificationType> events) {
        String[] names = events.stream().map(NotificationType::wireName).sorted().toArray(String[]::new);
        if (secret == null) {
            jdbc.sql("UPDATE webhooks SET url = ?, events = ?, updated_at = now() WHERE tenant_id = ?")
                    .params(url.toString(), names, tenantId).update();
        } else {
            jdbc.sql("""
                    INSERT INTO webhooks (tenant_id, url, secret, events) VALUES (?, ?, ?, ?)
                    ON CONFLICT (tenant_id) DO UPDATE SET url = EXCLUDED.url, secret = EXCLUDED.secret,
                      events = EXCLUDED.events, updated_at = now()""")
                    .params(tenantId, url.toString(), secret, names).update();
        }
        return find(tenantId).orElseThrow();
    }

    Optional<WebhookConfig> find(String tenantId) {
        return jdbc.sql("SELECT tenant_id, url, events, created_at, updated_at FROM webhooks WHERE tenant_id = ?")
                .param(tenantId)
                .query((rs, n) -> new WebhookConfig(rs.getString("tenant_id"), URI.create(rs.getString("url")),
                        events(rs), instant(rs, "created_at"), instant(rs, "updated_at")))
                .optional();
    }

    Optional<Target> target(String tenantId) {
        return jdbc.sql("SELECT url, secret, events FROM webhooks WHERE tenant_id = ?").param(tenantId)
                .query((rs, n) -> new Target(URI.create(rs.getString("url")), rs.getString("secret"), events(rs)))
                .optional();
    }

    boolean delete(String tenantId) {
        return jdbc.sql("DELETE FROM webhooks WHERE tenant_id = ?").param(tenantId).update() > 0;
    }

    private static Set<NotificationType> events(ResultSet rs) throws SQLException {
        Array array = rs.getArray("events");
        Set<NotificationType> events = EnumSet.noneOf(NotificationType.class);
        for (Object name : (Object[]) array.getArray()) {
            NotificationType.fromWire(String.valueOf(name)).ifPresent(events::add);
        }
        return events;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }

    static @Nullable Instant nullableInstant(ResultSet rs, String column) throws SQLException {
        java.sql.Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
