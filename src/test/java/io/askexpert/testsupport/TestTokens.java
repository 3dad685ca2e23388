package io.askexpert.testsupport;

import io.askexpert.auth.JwtSecret;
import io.askexpert.auth.TokenMinter;
import io.askexpert.config.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code Authorization} header values for tests. Start the service with
 * {@code ask-expert.auth.jwt-secret=}{@link #SECRET} (or {@code JWT_SECRET}) and call
 * {@link #bearer(String, String)}; for a service that generated its own secret, use
 * {@link #fromDataDir(Path, String, String, boolean)}.
 */
public final class TestTokens {

    /** A 32+ character secret for test contexts; never used outside tests. */
    public static final String SECRET = "ask-expert-test-secret-0123456789abcdef";
    public static final String AUDIENCE = "authenticated";
    public static final Duration TTL = Duration.ofHours(1);

    private TestTokens() {
    }

    /** {@code Bearer …} for a non-admin user of {@code tenant}, signed with {@link #SECRET}. */
    public static String bearer(String tenant, String user) {
        return bearer(SECRET, tenant, user, false, TTL);
    }

    /** {@code Bearer …} for an admin of {@code tenant}, signed with {@link #SECRET}. */
    public static String admin(String tenant, String user) {
        return bearer(SECRET, tenant, user, true, TTL);
    }

    public static String bearer(String secret, String tenant, String user, boolean admin) {
        return bearer(secret, tenant, user, admin, TTL);
    }

    /** A negative {@code ttl} gives an expired token. An empty tenant leaves the claim out. */
    public static String bearer(String secret, String tenant, String user, boolean admin, Duration ttl) {
        return "Bearer " + minter(secret).mint(tenant, user, admin, ttl);
    }

    /** Signed with the secret a service generated in {@code dataDir} (no {@code JWT_SECRET} set). */
    public static String fromDataDir(Path dataDir, String tenant, String user, boolean admin) {
        try {
            return bearer(Files.readString(dataDir.resolve("jwt-secret")).strip(), tenant, user, admin, TTL);
        } catch (IOException e) {
            throw new UncheckedIOException("no generated secret in " + dataDir + " (has the service started?)", e);
        }
    }

    /** {@code Bearer …} for any claims (a role the minter does not issue, a missing tenant), signed with {@link #SECRET}. */
    public static String withClaims(java.util.Map<String, Object> claims) {
        com.nimbusds.jwt.JWTClaimsSet.Builder builder = new com.nimbusds.jwt.JWTClaimsSet.Builder()
                .audience(AUDIENCE).expirationTime(java.util.Date.from(java.time.Instant.now().plus(TTL)));
        claims.forEach(builder::claim);
        com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
                new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256), builder.build());
        try {
            jwt.sign(new com.nimbusds.jose.crypto.MACSigner(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
        return "Bearer " + jwt.serialize();
    }

    private static TokenMinter minter(String secret) {
        return new TokenMinter(new JwtSecret(Secret.of(secret), false, Path.of("jwt-secret")), AUDIENCE,
                Clock.systemUTC());
    }
}
