package io.askexpert.ratelimit;

import java.time.Duration;
import java.util.Optional;

/**
 * At most {@code limit} simultaneous holders per key (api.md §3: concurrent mission streams).
 * A permit is held until closed; the Redis implementation also lets a permit lapse after its
 * lease, so an instance that dies while streaming does not hold a slot for ever.
 */
public interface ConcurrencyLimiter {

    /** A held slot; closing it twice is harmless. */
    interface Permit extends AutoCloseable {
        /** Slots still free for the key right after this one was taken. */
        int remaining();

        @Override
        void close();
    }

    Optional<Permit> tryAcquire(String key, int limit, Duration lease);

    /** Slots currently held for {@code key}. */
    int inUse(String key);
}
