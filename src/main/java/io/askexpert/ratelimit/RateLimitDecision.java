package io.askexpert.ratelimit;

import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of one request against a limit, with what the {@code X-RateLimit-*} headers say.
 *
 * @param reset when the bucket is full again (the header's epoch seconds)
 * @param retryAfter how long a refused caller should wait for one permit; zero when allowed
 */
public record RateLimitDecision(boolean allowed, int limit, int remaining, Instant reset, Duration retryAfter) {

    /** Token-bucket arithmetic shared by both implementations, so they answer identically. */
    static RateLimitDecision of(boolean allowed, RateLimit limit, double tokensLeft, long nowMillis) {
        double perMilli = (double) limit.permits() / limit.window().toMillis();
        long untilFull = (long) Math.ceil((limit.permits() - tokensLeft) / perMilli);
        long untilOne = allowed ? 0 : (long) Math.ceil((1 - tokensLeft) / perMilli);
        return new RateLimitDecision(allowed, limit.permits(), (int) Math.floor(tokensLeft),
                Instant.ofEpochMilli(nowMillis + untilFull), Duration.ofMillis(Math.max(0, untilOne)));
    }

    /** Seconds for {@code Retry-After}: at least one, rounded up. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    /** Epoch seconds for {@code X-RateLimit-Reset}, rounded up. */
    public long resetEpochSeconds() {
        return (reset.toEpochMilli() + 999) / 1000;
    }
}
