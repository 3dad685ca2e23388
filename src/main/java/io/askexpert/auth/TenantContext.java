package io.askexpert.auth;

import java.util.Objects;

/**
 * Who is calling: the tenant every resource belongs to, the user, whether the caller may write
 * the tenant's catalogue and knowledge base ({@code admin}), and whether they may publish content
 * every tenant sees ({@code platformAdmin}: the {@code platform_admin} role, honoured only when
 * the operator enables it). Controllers take it as a method parameter; it is resolved from the
 * verified JWT and the {@code X-Tenant-ID} header (api.md §1).
 */
public record TenantContext(String tenantId, String userId, boolean admin, boolean platformAdmin) {

    public TenantContext {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(userId, "userId");
        if (tenantId.isBlank()) {
            throw new IllegalArgumentException("tenantId must not be blank");
        }
        if (platformAdmin && !admin) {
            throw new IllegalArgumentException("a platform admin is an admin of the tenant it acts in");
        }
    }

    public TenantContext(String tenantId, String userId, boolean admin) {
        this(tenantId, userId, admin, false);
    }

    /** The operator acting through the command line or start-up tasks: may write public content. */
    public static TenantContext operator(String tenantId, String userId) {
        return new TenantContext(tenantId, userId, true, true);
    }
}
