package io.askexpert.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A random secret generated once into a file of the data directory (mode 0600) and read back on
 * every later start: what the embedded default uses when the operator configured no secret. The
 * value is never logged; errors name the file and the variable that would replace it.
 */
public final class GeneratedSecretFile {

    private GeneratedSecretFile() {
    }

    /**
     * The secret in {@code file}, or {@code randomBytes} fresh random bytes (base64url, no padding)
     * written there first.
     *
     * @param variable the environment variable an operator sets instead, for the error message
     */
    public static String readOrCreate(Path file, int randomBytes, String variable) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            Files.createDirectories(file.getParent());
            byte[] random = new byte[randomBytes];
            new SecureRandom().nextBytes(random);
            String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp", ownerOnly());
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
            throw new UncheckedIOException("cannot read or create the generated secret at " + file
                    + " (set " + variable + " or ASK_EXPERT_DATA_DIR): " + e.getMessage(), e);
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        return posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }
}
