package io.askexpert.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.config.Secret;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BrowserSignInTest {

    static final JwtSecret SECRET = new JwtSecret(Secret.of("browser-sign-in-test-secret-0123456789"), false,
            Path.of("jwt-secret"));
    static final Instant NOW = Instant.parse("2026-01-10T10:00:00Z");

    static BrowserSignIn signIn(Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        return new BrowserSignIn(SECRET, new JwtVerifier(SECRET, "authenticated", clock), "authenticated", clock);
    }

    @Test
    void a_link_signs_in_once_and_yields_an_api_token() {
        BrowserSignIn signIn = signIn(NOW);
        String code = signIn.mintLinkCode("acme", "alice", true);

        BrowserSignIn.BrowserCredential credential = signIn.redeemLink(code);

        assertThat(credential.caller()).isEqualTo(new TenantContext("acme", "alice", true));
        assertThat(credential.expiresAt()).isEqualTo(NOW.plus(BrowserSignIn.SESSION_TTL));
        assertThat(new JwtVerifier(SECRET, "authenticated", Clock.fixed(NOW, ZoneOffset.UTC))
                .authenticate("Bearer " + credential.token(), null)).isEqualTo(credential.caller());
        assertThatThrownBy(() -> signIn.redeemLink(code))
                .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED))
                .hasMessageContaining("already used");
    }

    @Test
    void a_link_is_worthless_after_its_lifetime_and_is_never_an_api_token() {
        String code = signIn(NOW).mintLinkCode("acme", "alice", false);

        assertThatThrownBy(() -> signIn(NOW.plus(BrowserSignIn.LINK_TTL).plus(Duration.ofMinutes(2))).redeemLink(code))
                .isInstanceOf(AskExpertException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> new JwtVerifier(SECRET, "authenticated", Clock.fixed(NOW, ZoneOffset.UTC))
                .authenticate("Bearer " + code, null))
                .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
    }

    @Test
    void a_pasted_token_follows_the_api_rules_for_the_tenant() {
        BrowserSignIn signIn = signIn(NOW);
        TokenMinter minter = new TokenMinter(SECRET, "authenticated", Clock.fixed(NOW, ZoneOffset.UTC));
        String withTenant = minter.mint("acme", "bob", false, Duration.ofHours(1));
        String withoutTenant = minter.mint("", "bob", false, Duration.ofHours(1));

        assertThat(signIn.acceptToken("Bearer " + withTenant, null).caller()).isEqualTo(new TenantContext("acme", "bob", false));
        assertThat(signIn.acceptToken(withTenant, null).expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertThatThrownBy(() -> signIn.acceptToken(withTenant, "other"))
                .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThatThrownBy(() -> signIn.acceptToken("not-a-token", null))
                .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
        // A token without a tenant may name one only where the service knows the user is a member (api.md §1).
        assertThatThrownBy(() -> signIn.acceptToken(withoutTenant, "beta"))
                .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        TenantResolver members = new TenantResolver((tenant, user) -> tenant.equals("beta") && user.equals("bob")
                ? java.util.Optional.of(TenantMemberships.Role.MEMBER) : java.util.Optional.empty(), false, false);
        BrowserSignIn withMembers = new BrowserSignIn(SECRET, new JwtVerifier(SECRET, "authenticated", clock, members),
                "authenticated", clock);
        BrowserSignIn.BrowserCredential headerTenant = withMembers.acceptToken(withoutTenant, "beta");
        assertThat(headerTenant.tenantHeader()).isEqualTo("beta");
        assertThat(headerTenant.caller().tenantId()).isEqualTo("beta");
    }

    @Test
    void csrf_token_belongs_to_one_credential() {
        BrowserSignIn signIn = signIn(NOW);
        String csrf = signIn.csrfToken("token-a");

        assertThat(signIn.csrfMatches("token-a", csrf)).isTrue();
        assertThat(signIn.csrfMatches("token-b", csrf)).isFalse();
        assertThat(signIn.csrfMatches("token-a", null)).isFalse();
        assertThat(signIn.csrfMatches("token-a", csrf + "x")).isFalse();
    }
}
