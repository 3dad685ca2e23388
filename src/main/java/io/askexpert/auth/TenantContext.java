package io.askexpert.auth;

import java.util.Objects;

/**
 * Who is calling: the tenant every resource belongs to, the user, and whether the caller may
 * write the catalogue and knowledge base. Controllers take it as a method parameter; it is
 * resolved from the verified JWT and the {@code X-Tenant-ID} header (api.md §1).
 */
public record TenantContext(String tenantId, String userId, boolean admin) {

    public TenantContext {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(userId, "userId");
        if (tenantId.isBlank()) {
            throw new IllegalArgumentException("tenantId must not be blank");
        }
    }
}
