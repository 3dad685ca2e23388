package io.askexpert.runs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The session lock of the embedded default: a map with expiring entries, changed atomically per key. */
final class InProcessRunLock implements RunLock {

    private record Held(String owner, Instant until) {
    }

    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Clock clock;

    InProcessRunLock(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean tryAcquire(String sessionId, String owner, Duration ttl) {
        Instant now = clock.instant();
        Held mine = new Held(owner, now.plus(ttl));
        return held.compute(sessionId, (k, h) -> h == null || !h.until().isAfter(now) ? mine : h) == mine;
    }

    @Override
    public boolean release(String sessionId, String owner) {
        boolean[] released = {false};
        held.computeIfPresent(sessionId, (k, h) -> {
            if (h.owner().equals(owner)) {
                released[0] = true;
                return null;
            }
            return h;
        });
        return released[0];
    }

    @Override
    public Optional<String> holder(String sessionId) {
        Held h = held.get(sessionId);
        return h == null || !h.until().isAfter(clock.instant()) ? Optional.empty() : Optional.of(h.owner());
    }
}
