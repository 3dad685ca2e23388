package io.askexpert.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.config.Secret;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {

    static final String SECRET = "unit-test-secret-0123456789abcdefghij";
    final JwtSecret secret = new JwtSecret(Secret.of(SECRET), false, Path.of("jwt-secret"));
    final JwtVerifier verifier = new JwtVerifier(secret, "authenticated", Clock.systemUTC());
    final TokenMinter minter = new TokenMinter(secret, "authenticated", Clock.systemUTC());

    @Test
    void minted_token_round_trips_with_tenant_user_and_role() {
        TenantContext admin = verifier.authenticate("Bearer " + minter.mint("acme", "alice", true, Duration.ofMinutes(5)), null);
        assertThat(admin).isEqualTo(new TenantContext("acme", "alice", true));
        TenantContext user = verifier.authenticate("bearer " + minter.mint("acme", "bob", false, Duration.ofMinutes(5)), "acme");
        assertThat(user).isEqualTo(new TenantContext("acme", "bob", false));
    }

    @Test
    void a_token_without_a_tenant_cannot_pick_one_by_header() {
        String token = "Bearer " + minter.mint("", "carol", false, Duration.ofMinutes(5));
        assertCode(() -> verifier.authenticate(token, "globex"), ErrorCode.FORBIDDEN);
        assertCode(() -> verifier.authenticate(token, null), ErrorCode.FORBIDDEN);
    }

    @Test
    void the_header_names_the_tenant_for_a_member_or_behind_a_trusted_gateway() {
        String token = "Bearer " + minter.mint("", "carol", true, Duration.ofMinutes(5));
        JwtVerifier members = new JwtVerifier(secret, "authenticated", Clock.systemUTC(), new TenantResolver(
                (tenant, user) -> tenant.equals("globex") && user.equals("carol")
                        ? java.util.Optional.of(TenantMemberships.Role.MEMBER) : java.util.Optional.empty(), false, false));
        assertThat(members.authenticate(token, "globex")).isEqualTo(new TenantContext("globex", "carol", false));
        assertCode(() -> members.authenticate(token, "initech"), ErrorCode.FORBIDDEN);
        JwtVerifier gateway = new JwtVerifier(secret, "authenticated", Clock.systemUTC(),
                new TenantResolver((tenant, user) -> java.util.Optional.empty(), true, false));
        assertThat(gateway.authenticate(token, "initech")).isEqualTo(new TenantContext("initech", "carol", true));
    }

    @Test
    void the_platform_role_counts_only_when_the_operator_enables_it() {
        String token = "Bearer " + sign("{\"alg\":\"HS256\"}", "{\"sub\":\"ops\",\"aud\":\"authenticated\",\"exp\":"
                + (System.currentTimeMillis() / 1000 + 300) + ",\"tenant_id\":\"t1\",\"role\":\"platform_admin\"}", SECRET);
        assertThat(verifier.authenticate(token, null)).isEqualTo(new TenantContext("t1", "ops", false, false));
        JwtVerifier enabled = new JwtVerifier(secret, "authenticated", Clock.systemUTC(),
                new TenantResolver((tenant, user) -> java.util.Optional.empty(), false, true));
        assertThat(enabled.authenticate(token, null)).isEqualTo(new TenantContext("t1", "ops", true, true));
    }

    @Test
    void supabase_app_metadata_carries_tenant_and_role() {
        String token = sign("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"u1\",\"aud\":\"authenticated\",\"exp\":"
                + (System.currentTimeMillis() / 1000 + 300)
                + ",\"role\":\"authenticated\",\"app_metadata\":{\"tenant_id\":\"t9\",\"role\":\"admin\"}}", SECRET);
        assertThat(verifier.authenticate("Bearer " + token, "t9")).isEqualTo(new TenantContext("t9", "u1", true));
    }

    @Test
    void rejects_the_matrix() {
        long future = System.currentTimeMillis() / 1000 + 300;
        String claims = "{\"sub\":\"u1\",\"aud\":\"authenticated\",\"exp\":" + future + ",\"tenant_id\":\"t1\"}";
        assertCode(() -> verifier.authenticate(null, null), ErrorCode.UNAUTHORIZED);
        assertCode(() -> verifier.authenticate("Basic abc", null), ErrorCode.UNAUTHORIZED);
        assertCode(() -> verifier.authenticate("Bearer not-a-jwt", null), ErrorCode.UNAUTHORIZED);
        assertCode(() -> verifier.authenticate("Bearer " + minter.mint("t1", "u1", false, Duration.ofHours(-1)), null),
                ErrorCode.UNAUTHORIZED);
        assertCode(() -> verifier.authenticate("Bearer " + sign("{\"alg\":\"HS256\"}", claims,
                "another-secret-of-enough-length-0123456789"), null), ErrorCode.UNAUTHORIZED);
        assertCode(() -> verifier.authenticate("Bearer " + b64("{\"alg\":\"none\"}") + "." + b64(claims) + ".", null),
                ErrorCode.UNAUTHORIZED);
        assertCode(() -> verifier.authenticate("Bearer " + sign("{\"alg\":\"HS512\"}", claims, SECRET), null),
                ErrorCode.UNAUTHORIZED);
        assertCode(() -> verifier.authenticate("Bearer " + sign("{\"alg\":\"HS256\"}",
                claims.replace("\"authenticated\"", "\"other\""), SECRET), null), ErrorCode.UNAUTHORIZED);
        assertCode(() -> verifier.authenticate("Bearer " + sign("{\"alg\":\"HS256\"}",
                claims.replace(",\"exp\":" + future, ""), SECRET), null), ErrorCode.UNAUTHORIZED);
        assertCode(() -> verifier.authenticate("Bearer " + sign("{\"alg\":\"HS256\"}", claims, SECRET), "t2"),
                ErrorCode.FORBIDDEN);
        assertThat(verifier.authenticate("Bearer " + sign("{\"alg\":\"HS256\"}", claims, SECRET), "t1").tenantId())
                .isEqualTo("t1");
    }

    static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOf(AskExpertException.class)
                .satisfies(e -> assertThat(((AskExpertException) e).code()).isEqualTo(code));
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** HMAC-SHA256 over any header, so tests can forge what a client might send. */
    static String sign(String header, String claims, String key) {
        try {
            String input = b64(header) + "." + b64(claims);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return input + "." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
