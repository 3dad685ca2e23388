package io.askexpert.runs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The event log of the embedded default: a list per run in this process's memory. Events of a
 * live run are kept for {@code liveTtl} after the last append, so a run whose owner never ended
 * it cannot leak; {@link #sweep()} forgets expired runs.
 */
final class InProcessEventLog implements EventLog {

    private final Map<String, RunLog> runs = new ConcurrentHashMap<>();
    private final RunEventJson json = new RunEventJson();
    private final Clock clock;
    private final Duration liveTtl;

    InProcessEventLog(Clock clock, Duration liveTtl) {
        this.clock = clock;
        this.liveTtl = liveTtl;
    }

    @Override
    public Sequenced append(String runId, RunEvent event) {
        String data = json.encode(event);
        RunLog log = runs.computeIfAbsent(runId, id -> new RunLog(clock.instant().plus(liveTtl)));
        log.lock.lock();
        try {
            Sequenced s = new Sequenced(log.events.size() + 1L, event.wireName(), data);
            log.events.add(s);
            if (!log.retained) {
                log.expiresAt = clock.instant().plus(liveTtl);
            }
            log.grew.signalAll();
            return s;
        } finally {
            log.lock.unlock();
        }
    }

    @Override
    public @Nullable Sequenced appendOnce(String runId, String key, RunEvent event) {
        RunLog log = runs.computeIfAbsent(runId, id -> new RunLog(clock.instant().plus(liveTtl)));
        log.lock.lock(); // reentrant: held across the check and the append
        try {
            return log.keys.add(key) ? append(runId, event) : null;
        } finally {
            log.lock.unlock();
        }
    }

    @Override
    public List<Sequenced> readAfter(String runId, long afterId, int limit, Duration wait) {
        RunLog log = wait.isZero() ? runs.get(runId) : runs.computeIfAbsent(runId, id -> new RunLog(clock.instant().plus(liveTtl)));
        if (log == null) {
            return List.of();
        }
        long deadline = System.nanoTime() + wait.toNanos();
        log.lock.lock();
        try {
            while (log.events.size() <= afterId) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return List.of();
                }
                log.grew.await(left, TimeUnit.NANOSECONDS);
            }
            int from = (int) Math.max(0, afterId);
            int to = Math.min(log.events.size(), from + limit);
            return new ArrayList<>(log.events.subList(from, to));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            log.lock.unlock();
        }
    }

    @Override
    public void retain(String runId, Duration ttl) {
        RunLog log = runs.get(runId);
        if (log != null) {
            log.lock.lock();
            try {
                log.retained = true;
                log.expiresAt = clock.instant().plus(ttl);
            } finally {
                log.lock.unlock();
            }
        }
    }

    /** Forgets runs whose retention has passed; called periodically. */
    void sweep() {
        Instant now = clock.instant();
        runs.entrySet().removeIf(e -> e.getValue().expiresAt != null && e.getValue().expiresAt.isBefore(now));
    }

    private static final class RunLog {
        final ReentrantLock lock = new ReentrantLock();
        final Condition grew = lock.newCondition();
        final List<Sequenced> events = new ArrayList<>();
        final java.util.Set<String> keys = new java.util.HashSet<>();
        volatile Instant expiresAt;
        boolean retained;

        RunLog(Instant expiresAt) {
            this.expiresAt = expiresAt;
        }
    }
}
