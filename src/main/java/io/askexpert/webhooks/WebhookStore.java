package io.askexpert.webhooks;

import java.net.URI;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Table {@code webhooks}: one row per tenant. The secret is stored encrypted ({@link SecretCipher})
 * and read only by {@link #target(String)}.
 */
final class WebhookStore {

    /** What delivery needs: where, with which key, for which events. */
    record Target(URI url, String secret, Set<NotificationType> events) {
        @Override
        public String toString() {
            return "Target[url host=" + url.getHost() + ", secret=******]";
        }
    }

    private final JdbcClient jdbc;
    private final SecretCipher cipher;

    WebhookStore(JdbcClient jdbc, SecretCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
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
                    .params(tenantId, url.toString(), cipher.encrypt(tenantId, secret), names).update();
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

    /** @throws SecretCipher.Undecryptable when the stored secret does not decrypt with this key */
    Optional<Target> target(String tenantId) {
        return jdbc.sql("SELECT url, secret, events FROM webhooks WHERE tenant_id = ?").param(tenantId)
                .query((rs, n) -> new Target(URI.create(rs.getString("url")),
                        cipher.decrypt(tenantId, rs.getString("secret")), events(rs)))
                .optional();
    }

    /**
     * Encrypts the secrets an earlier release stored in plain text. Each row is replaced only if it
     * still holds the value read, so a secret configured meanwhile is never overwritten.
     *
     * @return how many rows were encrypted
     */
    int encryptPlainSecrets() {
        record Plain(String tenantId, String secret) {
        }
        List<Plain> plain = jdbc.sql("SELECT tenant_id, secret FROM webhooks WHERE secret NOT LIKE ?")
                .param(SecretCipher.PREFIX + "%")
                .query((rs, n) -> new Plain(rs.getString("tenant_id"), rs.getString("secret"))).list();
        int done = 0;
        for (Plain row : plain) {
            done += jdbc.sql("UPDATE webhooks SET secret = ? WHERE tenant_id = ? AND secret = ?")
                    .params(cipher.encrypt(row.tenantId(), row.secret()), row.tenantId(), row.secret()).update();
        }
        return done;
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
