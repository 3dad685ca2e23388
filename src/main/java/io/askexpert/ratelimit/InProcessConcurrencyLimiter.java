package io.askexpert.ratelimit;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Counters per key; a slot lives exactly as long as its permit, since it dies with the process. */
public final class InProcessConcurrencyLimiter implements ConcurrencyLimiter {

    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();

    @Override
    public Optional<Permit> tryAcquire(String key, int limit, Duration lease) {
        boolean[] taken = {false};
        int now = held.compute(key, (k, count) -> {
            int current = count == null ? 0 : count;
            if (current >= limit) {
                return current;
            }
            taken[0] = true;
            return current + 1;
        });
        if (!taken[0]) {
            return Optional.empty();
        }
        AtomicBoolean open = new AtomicBoolean(true);
        int remaining = Math.max(0, limit - now);
        return Optional.of(new Permit() {
            @Override
            public int remaining() {
                return remaining;
            }

            @Override
            public void close() {
                if (open.compareAndSet(true, false)) {
                    held.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
                }
            }
        });
    }

    @Override
    public int inUse(String key) {
        return held.getOrDefault(key, 0);
    }
}
