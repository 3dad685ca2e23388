package io.askexpert.webhooks;

import io.askexpert.outbound.OutboundHttp;
import io.askexpert.outbound.OutboundResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One attempt at one delivery: signs the stored body with the tenant's current secret, posts it
 * through the outbound guard and decides what follows. Retried: 5xx, 429, timeouts and connection
 * failures. Not retried: other 4xx and 3xx (the receiver will answer the same again), and a refused
 * address (the policy will refuse it again).
 */
final class WebhookSender {

    /** What an attempt led to. */
    sealed interface Outcome {
        record Delivered(int status) implements Outcome {
        }

        record Retry(@Nullable Integer status, String error) implements Outcome {
        }

        record GiveUp(@Nullable Integer status, String error) implements Outcome {
        }
    }

    static final String USER_AGENT = "AskExpert-Webhooks/1";

    private final WebhookStore webhooks;
    private final OutboundHttp http;
    private final Clock clock;

    WebhookSender(WebhookStore webhooks, OutboundHttp http, Clock clock) {
        this.webhooks = webhooks;
        this.http = http;
        this.clock = clock;
    }

    Outcome attempt(DeliveryStore.Claimed delivery) {
        Optional<WebhookStore.Target> target;
        try {
            target = webhooks.target(delivery.tenantId());
        } catch (SecretCipher.Undecryptable e) {
            // Retried: another instance, or this one once its key is fixed, may still deliver it.
            return new Outcome.Retry(null, e.getMessage());
        }
        if (target.isEmpty()) {
            return new Outcome.GiveUp(null, "the tenant's webhook was removed");
        }
        byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
        long timestamp = Instant.now(clock).getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", USER_AGENT);
        headers.put(WebhookSignature.DELIVERY_HEADER, delivery.id().toString());
        headers.put(WebhookSignature.EVENT_HEADER, delivery.eventType());
        headers.put(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
        headers.put(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(target.get().secret(), timestamp, body));
        return switch (http.post(target.get().url(), headers, body)) {
            case OutboundResult.Answered a when a.status() >= 200 && a.status() < 300 -> new Outcome.Delivered(a.status());
            case OutboundResult.Answered a when a.status() >= 500 || a.status() == 429 ->
                    new Outcome.Retry(a.status(), "the receiver answered " + a.status());
            case OutboundResult.Answered a -> new Outcome.GiveUp(a.status(), "the receiver answered " + a.status()
                    + (a.status() >= 300 && a.status() < 400 ? " (redirects are not followed)" : ""));
            case OutboundResult.Refused r -> new Outcome.GiveUp(null, "refused: " + r.reason());
            case OutboundResult.Failed f -> new Outcome.Retry(null, f.failure().name().toLowerCase(java.util.Locale.ROOT)
                    + ": " + f.reason());
        };
    }

    /** Exponential: {@code base × 2^(attempt-1)}, at most {@code max}. */
    static Duration backoff(int attempt, Duration base, Duration max) {
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        Duration delay = base.multipliedBy(1L << shift);
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
