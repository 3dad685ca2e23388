package io.askexpert.llm;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why a call (or one attempt of it) failed, classified once here so the fallback chain decides
 * on the kind, never on a message. Messages are safe to show: no keys, no prompt text.
 *
 * @param httpStatus the provider's status, or 0 when none was received
 * @param retryAfter what the provider asked us to wait ({@code Retry-After}), if it said
 */
public record LlmFailure(Kind kind, String message, int httpStatus, @Nullable Duration retryAfter) {

    /** The closed set of failure kinds; {@code retriable} ones may move on to a retry or the fallback model. */
    public enum Kind {
        RATE_LIMITED(true),
        SERVER_ERROR(true),
        CONNECT_FAILED(true),
        FIRST_TOKEN_TIMEOUT(true),
        STREAM_CUT(true),
        CIRCUIT_OPEN(true),
        TOKEN_GAP_TIMEOUT(false),
        REJECTED(false),
        DEADLINE_EXCEEDED(false),
        CANCELLED(false),
        /** The model's answer could not be used: a tool call whose input is not a JSON object. */
        INVALID_OUTPUT(false);

        private final boolean retriable;

        Kind(boolean retriable) {
            this.retriable = retriable;
        }

        public boolean retriable() {
            return retriable;
        }
    }

    public LlmFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    public static LlmFailure of(Kind kind, String message) {
        return new LlmFailure(kind, message, 0, null);
    }

    public boolean retriable() {
        return kind.retriable();
    }

    /** Failures the circuit breaker counts: the provider is unhealthy, not merely busy or refusing this request. */
    boolean countsAgainstProvider() {
        return switch (kind) {
            case SERVER_ERROR, CONNECT_FAILED, FIRST_TOKEN_TIMEOUT, STREAM_CUT, TOKEN_GAP_TIMEOUT -> true;
            case RATE_LIMITED, CIRCUIT_OPEN, REJECTED, DEADLINE_EXCEEDED, CANCELLED, INVALID_OUTPUT -> false;
        };
    }

    /** Classifies an HTTP error status from a provider. */
    public static LlmFailure fromStatus(int status, String provider, @Nullable Duration retryAfter) {
        Kind kind = status == 429 ? Kind.RATE_LIMITED
                : status >= 500 || status == 408 ? Kind.SERVER_ERROR
                : Kind.REJECTED;
        return new LlmFailure(kind, provider + " answered HTTP " + status, status, retryAfter);
    }
}
