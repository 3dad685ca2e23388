package io.askexpert.auth;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.config.GeneratedSecretFile;
import io.askexpert.config.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The HS256 key. {@code JWT_SECRET} when set; otherwise a random secret generated once and kept
 * in {@code <data-dir>/jwt-secret} (mode 0600), so tokens survive restarts of the embedded default.
 *
 * @param generated true when the key comes from the data directory rather than {@code JWT_SECRET}
 * @param file where a generated key is kept (the path is shown to the operator, never the key)
 */
public record JwtSecret(Secret value, boolean generated, Path file) {

    static final String FILE_NAME = "jwt-secret";

    public JwtSecret {
        if (value.length() < AskExpertSettings.Auth.MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(generated
                    ? file + " holds a secret shorter than " + AskExpertSettings.Auth.MIN_SECRET_LENGTH
                            + " characters: delete it to generate a new one, or set JWT_SECRET"
                    : "JWT_SECRET must be at least " + AskExpertSettings.Auth.MIN_SECRET_LENGTH + " characters");
        }
    }

    public static JwtSecret resolve(AskExpertSettings settings) {
        Path file = settings.dataDir().resolve(FILE_NAME);
        Secret configured = settings.auth().jwtSecret();
        if (configured.isPresent()) {
            return new JwtSecret(configured, false, file);
        }
        return new JwtSecret(Secret.of(GeneratedSecretFile.readOrCreate(file, 48, "JWT_SECRET")), true, file);
    }

    byte[] keyBytes() {
        return value.value().getBytes(StandardCharsets.UTF_8);
    }
}
