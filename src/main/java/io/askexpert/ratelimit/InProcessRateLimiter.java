package io.askexpert.ratelimit;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Token buckets in a map; full buckets are dropped now and then so idle callers cost nothing. */
public final class InProcessRateLimiter implements RateLimiter {

    private static final int SWEEP_EVERY = 4096;

    private final Clock clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();

    public InProcessRateLimiter(Clock clock) {
        this.clock = clock;
    }

    private record Bucket(double tokens, long at, RateLimit limit, boolean allowed) {
        Bucket refilled(long now, RateLimit current) {
            double perMilli = (double) current.permits() / current.window().toMillis();
            double refilled = Math.min(current.permits(), tokens + Math.max(0, now - at) * perMilli);
            return new Bucket(refilled, now, current, allowed);
        }
    }

    @Override
    public RateLimitDecision acquire(String key, RateLimit limit) {
        long now = clock.millis();
        Bucket after = buckets.compute(key, (k, bucket) -> {
            Bucket current = bucket == null ? new Bucket(limit.permits(), now, limit, false) : bucket.refilled(now, limit);
            return current.tokens() >= 1
                    ? new Bucket(current.tokens() - 1, now, limit, true)
                    : new Bucket(current.tokens(), now, limit, false);
        });
        if (calls.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep(now);
        }
        return RateLimitDecision.of(after.allowed(), limit, after.tokens(), now);
    }

    private void sweep(long now) {
        buckets.entrySet().removeIf(e -> e.getValue().refilled(now, e.getValue().limit()).tokens()
                >= e.getValue().limit().permits());
    }
}
