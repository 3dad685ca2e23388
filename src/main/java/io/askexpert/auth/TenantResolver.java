package io.askexpert.auth;

import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * The caller's tenant (api.md §1). A token that names a tenant acts in it ({@code X-Tenant-ID},
 * if sent, must match). A token that names none may name one in {@code X-Tenant-ID} only when
 * the service knows the user belongs there (a membership, whose role then applies), when the
 * token has the service role, or when the operator declared that a trusted gateway sets the
 * header ({@code AUTH_TRUST_TENANT_HEADER=true}); otherwise 403. The {@code platform_admin} role
 * counts only when {@code AUTH_PLATFORM_ROLE_ENABLED=true}.
 */
public final class TenantResolver {

    private final BiFunction<String, String, Optional<TenantMemberships.Role>> memberships;
    private final boolean trustHeader;
    private final boolean platformRoleEnabled;

    public TenantResolver(BiFunction<String, String, Optional<TenantMemberships.Role>> memberships, boolean trustHeader,
                          boolean platformRoleEnabled) {
        this.memberships = memberships;
        this.trustHeader = trustHeader;
        this.platformRoleEnabled = platformRoleEnabled;
    }

    /** Tokens must name their tenant: no memberships, no trusted gateway, no platform role. */
    public static TenantResolver strict() {
        return new TenantResolver((tenant, user) -> Optional.empty(), false, false);
    }

    public TenantContext resolve(JwtVerifier.VerifiedToken token, @Nullable String tenantHeader) {
        String header = tenantHeader == null || tenantHeader.isBlank() ? null : tenantHeader.strip();
        boolean platform = platformRoleEnabled && token.platformAdmin();
        if (token.tenantId() != null) {
            if (header != null && !header.equals(token.tenantId())) {
                throw forbidden("X-Tenant-ID does not match the token's tenant");
            }
            return new TenantContext(token.tenantId(), token.userId(), token.admin() || platform, platform);
        }
        if (header == null) {
            throw forbidden("the token names no tenant, so the X-Tenant-ID header is required");
        }
        if (header.length() > 128) {
            throw forbidden("X-Tenant-ID must be at most 128 characters");
        }
        if (token.service() || platform) {
            return new TenantContext(header, token.userId(), true, platform);
        }
        if (trustHeader) {
            return new TenantContext(header, token.userId(), token.admin(), false);
        }
        Optional<TenantMemberships.Role> role = memberships.apply(header, token.userId());
        if (role.isEmpty()) {
            throw forbidden("the token names no tenant and its user is not a known member of the tenant in X-Tenant-ID");
        }
        return new TenantContext(header, token.userId(), role.get() == TenantMemberships.Role.ADMIN, false);
    }

    private static AskExpertException forbidden(String message) {
        return new AskExpertException(ErrorCode.FORBIDDEN, message, Map.of("field", "X-Tenant-ID"));
    }
}
