package io.askexpert.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.config.EnvironmentReport;
import io.askexpert.config.WebhookSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class SecretCipherTest {

    static final String SECRET = "whsec-test-0123456789-abcdef";

    @TempDir Path dataDir;

    static SecretCipher randomKey() {
        byte[] key = new byte[WebhookSettings.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return new SecretCipher(key, SecretCipher.Source.CONFIGURED);
    }

    private AskExpertSettings settings(Map<String, String> extra) {
        Map<String, String> properties = new java.util.HashMap<>(extra);
        properties.put("ask-expert.data-dir", dataDir.toString());
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("ask-expert", AskExpertSettings.class);
    }

    @Test
    void encrypts_with_a_fresh_nonce_and_decrypts_only_for_the_same_tenant_and_key() {
        SecretCipher cipher = randomKey();
        String first = cipher.encrypt("t1", SECRET);
        String second = cipher.encrypt("t1", SECRET);

        assertThat(first).startsWith(SecretCipher.PREFIX).doesNotContain(SECRET).isNotEqualTo(second);
        assertThat(cipher.decrypt("t1", first)).isEqualTo(SECRET);
        assertThat(cipher.decrypt("t1", second)).isEqualTo(SECRET);
        assertThatThrownBy(() -> cipher.decrypt("t2", first)).isInstanceOf(SecretCipher.Undecryptable.class)
                .hasMessageNotContaining(SECRET);
        assertThatThrownBy(() -> randomKey().decrypt("t1", first)).isInstanceOf(SecretCipher.Undecryptable.class)
                .hasMessageContaining("WEBHOOK_ENCRYPTION_KEY");
        String altered = first.substring(0, first.length() - 2) + (first.endsWith("AA") ? "BB" : "AA");
        assertThatThrownBy(() -> cipher.decrypt("t1", altered)).isInstanceOf(SecretCipher.Undecryptable.class);
        assertThatThrownBy(() -> cipher.decrypt("t1", SecretCipher.PREFIX + "!!")).isInstanceOf(SecretCipher.Undecryptable.class);
    }

    @Test
    void a_value_stored_in_plain_text_is_read_as_it_is() {
        assertThat(randomKey().decrypt("t1", SECRET)).isEqualTo(SECRET);
        assertThat(SecretCipher.encrypted(SECRET)).isFalse();
    }

    @Test
    void without_a_configured_key_one_is_generated_once_owner_only_and_reused() throws Exception {
        AskExpertSettings settings = settings(Map.of());
        SecretCipher first = SecretCipher.resolve(settings);
        Path file = dataDir.resolve(SecretCipher.KEY_FILE);

        assertThat(first.source()).isEqualTo(SecretCipher.Source.GENERATED);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(first.toString()).doesNotContain(Files.readString(file).strip());
        String stored = first.encrypt("t1", SECRET);
        assertThat(SecretCipher.resolve(settings).decrypt("t1", stored)).isEqualTo(SECRET);
    }

    @Test
    void a_configured_key_wins_and_nothing_is_written() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String encoded = Base64.getEncoder().encodeToString(key);
        SecretCipher cipher = SecretCipher.resolve(settings(Map.of("ask-expert.webhooks.encryption-key", encoded)));

        assertThat(cipher.source()).isEqualTo(SecretCipher.Source.CONFIGURED);
        assertThat(dataDir.resolve(SecretCipher.KEY_FILE)).doesNotExist();
        String stored = cipher.encrypt("t1", SECRET);
        assertThat(new SecretCipher(key, SecretCipher.Source.CONFIGURED).decrypt("t1", stored)).isEqualTo(SECRET);
    }

    @Test
    void a_key_that_is_not_32_bytes_of_base64_is_refused_by_name_without_quoting_it() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        for (String bad : new String[] {shortKey, "not base64 at all!"}) {
            assertThatThrownBy(() -> settings(Map.of("ask-expert.webhooks.encryption-key", bad)))
                    .rootCause().hasMessageContaining("WEBHOOK_ENCRYPTION_KEY").hasMessageNotContaining(bad.strip());
            assertThat(EnvironmentReport.evaluate(Map.of("WEBHOOK_ENCRYPTION_KEY", bad)))
                    .filteredOn(l -> l.variable().name().equals("WEBHOOK_ENCRYPTION_KEY"))
                    .singleElement().satisfies(l -> {
                        assertThat(l.status()).isEqualTo(EnvironmentReport.Status.INVALID);
                        assertThat(l.detail()).doesNotContain(bad.strip());
                    });
        }
    }
}
