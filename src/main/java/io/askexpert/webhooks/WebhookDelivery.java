package io.askexpert.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One delivery from the outbox with every attempt made so far. */
public record WebhookDelivery(UUID id, String eventType, @Nullable UUID missionId, Status status, int attemptCount,
                              List<Attempt> attempts, @Nullable Instant nextAttemptAt, @Nullable Integer lastStatusCode,
                              @Nullable String lastError, Instant createdAt, @Nullable Instant finishedAt) {

    public WebhookDelivery {
        attempts = List.copyOf(attempts);
    }

    public enum Status {
        PENDING, DELIVERED, FAILED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One try: the HTTP status when the receiver answered, else the reason (refused, timeout, connection). */
    public record Attempt(int attempt, Instant at, @Nullable Integer statusCode, @Nullable String error, long durationMs) {
    }

    /** A page of deliveries, newest first. */
    public record Page(List<WebhookDelivery> deliveries, long total, int limit, int offset) {
        public Page {
            deliveries = List.copyOf(deliveries);
        }
    }
}
