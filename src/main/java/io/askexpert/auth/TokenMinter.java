package io.askexpert.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

/**
 * Issues HS256 tokens in the shape api.md §1 verifies (Supabase-style): {@code sub} = user,
 * {@code aud}, {@code exp}, {@code tenant_id}, and {@code app_metadata.role = admin} for admins.
 */
public final class TokenMinter {

    private final byte[] key;
    private final String audience;
    private final Clock clock;

    public TokenMinter(JwtSecret secret, String audience, Clock clock) {
        this.key = secret.keyBytes();
        this.audience = audience;
        this.clock = clock;
    }

    /** A signed token; {@code ttl} may be negative to produce an already expired one. */
    public String mint(String tenantId, String userId, boolean admin, Duration ttl) {
        if (userId.isBlank()) {
            throw new IllegalArgumentException("user must not be blank");
        }
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .audience(audience)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .claim("role", "authenticated");
        if (!tenantId.isBlank()) {
            claims.claim(JwtVerifier.TENANT_CLAIM, tenantId);
        }
        if (admin) {
            claims.claim(JwtVerifier.APP_METADATA_CLAIM, Map.of("role", JwtVerifier.ADMIN_ROLE));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(new MACSigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
