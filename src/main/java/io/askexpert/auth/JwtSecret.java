package io.askexpert.auth;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.config.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

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
        return new JwtSecret(Secret.of(readOrCreate(file)), true, file);
    }

    byte[] keyBytes() {
        return value.value().getBytes(StandardCharsets.UTF_8);
    }

    private static String readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            Files.createDirectories(file.getParent());
            byte[] random = new byte[48];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Path tmp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp", ownerOnly());
            Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
            try {
                // A concurrent first start may have written one already; the first writer wins.
                Files.move(tmp, file);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(tmp);
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the JWT secret at " + file
                    + " (set JWT_SECRET or ASK_EXPERT_DATA_DIR): " + e.getMessage(), e);
        }
    }

    private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly() {
        boolean posix = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        return posix
                ? new java.nio.file.attribute.FileAttribute<?>[] {
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new java.nio.file.attribute.FileAttribute<?>[0];
    }
}
