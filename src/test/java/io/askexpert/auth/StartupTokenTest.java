package io.askexpert.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.config.AskExpertSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartupTokenTest {

    @TempDir Path dataDir;

    @Test
    void prints_a_token_the_verifier_accepts_and_a_curl_line_with_it() {
        AskExpertSettings settings = JwtSecretTest.settings(Map.of("ask-expert.data-dir", dataDir.toString()));
        JwtSecret secret = JwtSecret.resolve(settings);
        TokenMinter minter = new TokenMinter(secret, "authenticated", Clock.systemUTC());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String token = minter.mint(StartupToken.TENANT, StartupToken.USER, true, Duration.ofHours(24));
        JwtVerifier verifier = new JwtVerifier(secret, "authenticated", Clock.systemUTC());
        BrowserSignIn signIn = new BrowserSignIn(secret, verifier, "authenticated", Clock.systemUTC());
        new StartupToken(secret, minter, settings, signIn).print(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                "http://localhost:8000", token, signIn.mintLinkCode(StartupToken.TENANT, StartupToken.USER, true));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("http://localhost:8000").contains(dataDir.resolve("jwt-secret").toString())
                .doesNotContain(secret.value().value());
        Matcher curl = Pattern.compile("curl -H \"Authorization: Bearer (\\S+)\" http://localhost:8000/api/v1/expert/agents")
                .matcher(out);
        assertThat(curl.find()).isTrue();
        TenantContext tenant = new JwtVerifier(secret, "authenticated", Clock.systemUTC())
                .authenticate("Bearer " + curl.group(1), null);
        assertThat(tenant).isEqualTo(new TenantContext("default", "local-admin", true));

        Matcher link = Pattern.compile("http://localhost:8000/#signin=(\\S+)").matcher(out);
        assertThat(link.find()).as(out).isTrue();
        assertThat(signIn.redeemLink(link.group(1)).caller()).isEqualTo(new TenantContext("default", "local-admin", true));
    }
}
