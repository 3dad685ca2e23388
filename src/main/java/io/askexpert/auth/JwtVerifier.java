package io.askexpert.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Verifies bearer tokens per api.md §1 and resolves the caller's tenant. Only HS256 is accepted:
 * a token announcing any other algorithm (including {@code none}) is refused before its
 * signature is looked at, so a forged header cannot choose a weaker check.
 */
public final class JwtVerifier {

    static final String TENANT_CLAIM = "tenant_id";
    static final String APP_METADATA_CLAIM = "app_metadata";
    static final String ADMIN_ROLE = "admin";
    static final String PLATFORM_ADMIN_ROLE = "platform_admin";
    static final String SERVICE_ROLE = "service_role";
    /** Tolerated clock difference between the token issuer and this server. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final int MAX_TOKEN_LENGTH = 8_192;

    private final MACVerifier verifier;
    private final String audience;
    private final Clock clock;
    private final TenantResolver tenants;

    /** A verifier whose tokens must name their tenant ({@link TenantResolver#strict()}). */
    public JwtVerifier(JwtSecret secret, String audience, Clock clock) {
        this(secret, audience, clock, TenantResolver.strict());
    }

    public JwtVerifier(JwtSecret secret, String audience, Clock clock, TenantResolver tenants) {
        this.tenants = tenants;
        try {
            this.verifier = new MACVerifier(secret.keyBytes());
        } catch (JOSEException e) {
            throw new IllegalArgumentException("JWT_SECRET cannot be used for HS256: " + e.getMessage(), e);
        }
        this.audience = audience;
        this.clock = clock;
    }

    /**
     * What a valid token says about its bearer; the tenant may be absent (the header names it).
     * {@code platformAdmin} and {@code service} are the claimed roles, which {@link TenantResolver}
     * weighs against the operator's settings.
     */
    public record VerifiedToken(String userId, @Nullable String tenantId, boolean admin, boolean platformAdmin,
                                boolean service) {
    }

    /**
     * Verifies an {@code Authorization} header value and resolves the tenant against
     * {@code X-Tenant-ID}.
     *
     * @throws AskExpertException {@code UNAUTHORIZED} for a missing or bad token, {@code FORBIDDEN}
     *         when the header names another tenant than the token
     */
    public TenantContext authenticate(@Nullable String authorization, @Nullable String tenantHeader) {
        return tenants.resolve(verify(bearer(authorization)), tenantHeader);
    }

    public VerifiedToken verify(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw unauthorized("token is too long");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw unauthorized("token is malformed");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw unauthorized("token algorithm " + jwt.getHeader().getAlgorithm() + " is not accepted (HS256 only)");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw unauthorized("token signature is invalid");
            }
        } catch (JOSEException e) {
            throw unauthorized("token signature is invalid");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw unauthorized("token claims are malformed");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw unauthorized("token has no expiry (exp)");
        }
        if (exp.toInstant().plus(CLOCK_SKEW).isBefore(now)) {
            throw unauthorized("token expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minus(CLOCK_SKEW).isAfter(now)) {
            throw unauthorized("token is not valid yet (nbf)");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw unauthorized("token audience must be '" + audience + "'");
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            throw unauthorized("token has no subject (sub)");
        }
        Map<String, Object> appMetadata = appMetadata(claims);
        String tenant = firstText(claims.getClaim(TENANT_CLAIM), appMetadata.get(TENANT_CLAIM));
        boolean admin = hasRole(claims, appMetadata, ADMIN_ROLE);
        return new VerifiedToken(subject, tenant, admin, hasRole(claims, appMetadata, PLATFORM_ADMIN_ROLE),
                hasRole(claims, appMetadata, SERVICE_ROLE));
    }

    private static boolean hasRole(JWTClaimsSet claims, Map<String, Object> appMetadata, String role) {
        return role.equals(appMetadata.get("role")) || role.equals(claims.getClaim("role"));
    }

    private static String bearer(@Nullable String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw unauthorized("missing Authorization header (Bearer token)");
        }
        String value = authorization.strip();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw unauthorized("Authorization header must be 'Bearer <token>'");
        }
        return value.substring(7).strip();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> appMetadata(JWTClaimsSet claims) {
        return claims.getClaim(APP_METADATA_CLAIM) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static @Nullable String firstText(@Nullable Object... values) {
        for (Object value : values) {
            if (value instanceof String s && !s.isBlank()) {
                return s;
            }
        }
        return null;
    }

    private static AskExpertException unauthorized(String message) {
        return new AskExpertException(ErrorCode.UNAUTHORIZED, message);
    }
}
