package io.askexpert.config;

import static io.askexpert.config.AskExpertSettings.requirePositive;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook deliveries: {@code WEBHOOK_MAX_ATTEMPTS} tries per delivery, the first retry after
 * {@code backoff} doubling up to {@code maxBackoff}; due deliveries are looked for every
 * {@code pollInterval}, and one claimed by an instance that died is taken over after {@code claimLease}.
 * {@code WEBHOOK_ENCRYPTION_KEY}: the AES-256 key (base64 of 32 bytes) that encrypts the stored
 * webhook secrets; unset, one is generated into the data directory.
 * Bound under {@code ask-expert.webhooks} as {@link AskExpertSettings#webhooks()}.
 */
public record WebhookSettings(
        @DefaultValue("8") @Min(1) @Max(50) int maxAttempts,
        @DefaultValue("10s") Duration backoff,
        @DefaultValue("1h") Duration maxBackoff,
        @DefaultValue("2s") Duration pollInterval,
        @DefaultValue("2m") Duration claimLease,
        @DefaultValue("") Secret encryptionKey) {
    public static final int KEY_BYTES = 32;

    public WebhookSettings {
        requirePositive("ask-expert.webhooks.backoff", backoff);
        requirePositive("ask-expert.webhooks.max-backoff", maxBackoff);
        requirePositive("ask-expert.webhooks.poll-interval", pollInterval);
        requirePositive("ask-expert.webhooks.claim-lease", claimLease);
        if (encryptionKey == null) {
            encryptionKey = Secret.NONE;
        }
        if (encryptionKey.isPresent()) {
            keyProblem(encryptionKey.value()).ifPresent(problem -> {
                throw new IllegalArgumentException("WEBHOOK_ENCRYPTION_KEY " + problem);
            });
        }
    }

    /** Why {@code value} is not an AES-256 key in base64 (standard or URL alphabet); never quotes it. */
    public static Optional<String> keyProblem(String value) {
        byte[] key = decodeKey(value);
        return key != null && key.length == KEY_BYTES ? Optional.empty()
                : Optional.of("must be the base64 of " + KEY_BYTES + " random bytes (openssl rand -base64 32)");
    }

    /** The key's bytes, or null when {@code value} is not base64. */
    public static byte @Nullable [] decodeKey(String value) {
        String text = value.strip();
        try {
            return text.indexOf('-') >= 0 || text.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(text) : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
