package io.askexpert.auth;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The users the service knows to belong to a tenant ({@code tenant_memberships}), declared with
 * {@code ask-expert members add}. A token that names no tenant may name one of these in
 * {@code X-Tenant-ID}, with the role recorded here (api.md §1).
 */
public final class TenantMemberships {

    /** A member's role in the tenant. */
    public enum Role { MEMBER, ADMIN;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One membership as listed. */
    public record Membership(String tenantId, String userId, Role role) {
    }

    private final JdbcClient jdbc;

    public TenantMemberships(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public Optional<Role> roleOf(String tenantId, String userId) {
        return jdbc.sql("select role from tenant_memberships where tenant_id = ? and user_id = ?")
                .params(tenantId, userId).query(String.class).optional()
                .map(r -> Role.valueOf(r.toUpperCase(Locale.ROOT)));
    }

    /** Adds the membership, or changes its role. */
    public void put(String tenantId, String userId, Role role) {
        jdbc.sql("""
                        insert into tenant_memberships (tenant_id, user_id, role) values (?, ?, ?)
                        on conflict (tenant_id, user_id) do update set role = excluded.role""")
                .params(tenantId, userId, role.wireName()).update();
    }

    /** True when there was such a membership. */
    public boolean remove(String tenantId, String userId) {
        return jdbc.sql("delete from tenant_memberships where tenant_id = ? and user_id = ?")
                .params(tenantId, userId).update() == 1;
    }

    public List<Membership> list(String tenantId) {
        return jdbc.sql("select tenant_id, user_id, role from tenant_memberships where tenant_id = ? order by user_id")
                .param(tenantId)
                .query((rs, n) -> new Membership(rs.getString(1), rs.getString(2),
                        Role.valueOf(rs.getString(3).toUpperCase(Locale.ROOT))))
                .list();
    }
}
