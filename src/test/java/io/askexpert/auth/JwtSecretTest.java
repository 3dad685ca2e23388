package io.askexpert.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.config.AskExpertSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class JwtSecretTest {

    @TempDir Path dataDir;

    static AskExpertSettings settings(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("ask-expert", AskExpertSettings.class);
    }

    @Test
    void generates_once_keeps_it_owner_only_and_reuses_it() throws Exception {
        AskExpertSettings settings = settings(Map.of("ask-expert.data-dir", dataDir.toString()));
        JwtSecret first = JwtSecret.resolve(settings);
        assertThat(first.generated()).isTrue();
        assertThat(first.value().length()).isGreaterThanOrEqualTo(32);
        Path file = dataDir.resolve("jwt-secret");
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(JwtSecret.resolve(settings).value()).isEqualTo(first.value());
    }

    @Test
    void configured_secret_wins_and_nothing_is_written() {
        String configured = "x".repeat(40);
        JwtSecret secret = JwtSecret.resolve(settings(Map.of("ask-expert.data-dir", dataDir.toString(),
                "ask-expert.auth.jwt-secret", configured)));
        assertThat(secret.generated()).isFalse();
        assertThat(secret.value().value()).isEqualTo(configured);
        assertThat(dataDir.resolve("jwt-secret")).doesNotExist();
    }

    @Test
    void short_secret_refuses_naming_the_variable() {
        assertThatThrownBy(() -> settings(Map.of("ask-expert.auth.jwt-secret", "short")))
                .rootCause().hasMessageContaining("JWT_SECRET").hasMessageContaining("32");
    }

    @Test
    void a_truncated_generated_file_is_refused_with_its_path() throws Exception {
        Files.writeString(dataDir.resolve("jwt-secret"), "abc");
        assertThatThrownBy(() -> JwtSecret.resolve(settings(Map.of("ask-expert.data-dir", dataDir.toString()))))
                .hasMessageContaining("jwt-secret").hasMessageContaining("JWT_SECRET");
    }
}
