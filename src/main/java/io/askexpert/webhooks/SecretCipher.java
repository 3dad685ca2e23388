package io.askexpert.webhooks;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.config.GeneratedSecretFile;
import io.askexpert.config.WebhookSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook secrets at rest: AES-256-GCM, a fresh 96-bit nonce per value, the tenant id as associated
 * data (a value copied to another tenant's row does not decrypt). Stored as
 * {@code enc:v1:<base64url(nonce | ciphertext | tag)>}; a value without that prefix is a secret
 * stored in plain text by an earlier release and is read as it is.
 */
final class SecretCipher {

    static final String PREFIX = "enc:v1:";
    static final String KEY_FILE = "webhook-key";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    /** A stored secret this key cannot decrypt: another key encrypted it, or the value was altered. */
    static final class Undecryptable extends RuntimeException {
        Undecryptable(String message) {
            super(message);
        }
    }

    /** Where the key came from, for the start-up message (never the key itself). */
    enum Source { CONFIGURED, GENERATED }

    private final SecretKeySpec key;
    private final Source source;
    private final SecureRandom random = new SecureRandom();

    SecretCipher(byte[] key, Source source) {
        if (key.length != WebhookSettings.KEY_BYTES) {
            throw new IllegalArgumentException("a webhook encryption key has " + WebhookSettings.KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
        this.source = source;
    }

    /** {@code WEBHOOK_ENCRYPTION_KEY}, or the key generated once into {@code <data-dir>/webhook-key}. */
    static SecretCipher resolve(AskExpertSettings settings) {
        if (settings.webhooks().encryptionKey().isPresent()) {
            return new SecretCipher(WebhookSettings.decodeKey(settings.webhooks().encryptionKey().value()),
                    Source.CONFIGURED);
        }
        Path file = keyFile(settings);
        String stored = GeneratedSecretFile.readOrCreate(file, WebhookSettings.KEY_BYTES, "WEBHOOK_ENCRYPTION_KEY");
        byte[] key = WebhookSettings.decodeKey(stored);
        if (key == null || key.length != WebhookSettings.KEY_BYTES) {
            throw new IllegalStateException(file + " does not hold a webhook encryption key"
                    + " (base64 of " + WebhookSettings.KEY_BYTES + " bytes): restore it, or set WEBHOOK_ENCRYPTION_KEY");
        }
        return new SecretCipher(key, Source.GENERATED);
    }

    static Path keyFile(AskExpertSettings settings) {
        return settings.dataDir().resolve(KEY_FILE);
    }

    Source source() {
        return source;
    }

    static boolean encrypted(String stored) {
        return stored.startsWith(PREFIX);
    }

    String encrypt(String tenantId, String secret) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, tenantId, nonce);
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The secret of a stored value, encrypted or (from an earlier release) plain. */
    String decrypt(String tenantId, String stored) {
        if (!encrypted(stored)) {
            return stored;
        }
        byte[] in;
        try {
            in = Base64.getUrlDecoder().decode(stored.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new Undecryptable("the stored webhook secret is damaged; configure the webhook's secret again");
        }
        if (in.length <= NONCE_BYTES) {
            throw new Undecryptable("the stored webhook secret is damaged; configure the webhook's secret again");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, tenantId, java.util.Arrays.copyOf(in, NONCE_BYTES));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new Undecryptable("the stored webhook secret does not decrypt with this instance's key"
                    + " (instances sharing a database need the same WEBHOOK_ENCRYPTION_KEY)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available: " + e.getClass().getSimpleName(), e);
        }
    }

    private Cipher cipher(int mode, String tenantId, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(tenantId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    @Override
    public String toString() {
        return "SecretCipher[AES-256-GCM, key " + source.name().toLowerCase(java.util.Locale.ROOT) + "]";
    }
}
