package io.askexpert.mockllm;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the mock has served ({@code GET /_mock/stats}).
 *
 * @param requests          model requests received (control requests excluded)
 * @param byFault           responses per fault label ({@code ok}, {@code 429}, {@code stall-first}…)
 * @param activeStreams     responses in progress, stalled ones included
 * @param clientClosed      responses the client abandoned before their end (a cancel upstream)
 * @param lastClientCloseNanos {@link System#nanoTime()} when the mock last saw a client close a live
 *                          response: comparable only inside the same JVM (tests that embed the mock)
 * @param maxLagMillis      the latest a token was ever written after its due time: the mock falling behind
 * @param lateFrames        tokens written more than one token interval after their due time
 */
public record MockStats(long requests, Map<String, Long> byFault, long activeStreams, long streamsStarted,
                        long streamsCompleted, long clientClosed, long cut, long framesSent,
                        long lastClientCloseNanos, double maxLagMillis, long lateFrames, int scriptedPending) {

    /** The live counters behind a snapshot; written by the event loop, read by anyone. */
    static final class Counters {
        final LongAdder requests = new LongAdder();
        final Map<String, LongAdder> byFault = new ConcurrentHashMap<>();
        final AtomicLong active = new AtomicLong();
        final LongAdder started = new LongAdder();
        final LongAdder completed = new LongAdder();
        final LongAdder clientClosed = new LongAdder();
        final LongAdder cut = new LongAdder();
        final LongAdder frames = new LongAdder();
        final LongAdder lateFrames = new LongAdder();
        final AtomicLong lastClientClose = new AtomicLong();
        final AtomicLong maxLagNanos = new AtomicLong();

        void fault(String label) {
            byFault.computeIfAbsent(label, k -> new LongAdder()).increment();
        }

        void lag(long nanos, long intervalNanos) {
            maxLagNanos.accumulateAndGet(nanos, Math::max);
            if (nanos > intervalNanos) {
                lateFrames.increment();
            }
        }

        MockStats snapshot(int scripted) {
            Map<String, Long> faults = new TreeMap<>();
            byFault.forEach((k, v) -> faults.put(k, v.sum()));
            return new MockStats(requests.sum(), Map.copyOf(faults), active.get(), started.sum(), completed.sum(),
                    clientClosed.sum(), cut.sum(), frames.sum(), lastClientClose.get(), maxLagNanos.get() / 1e6,
                    lateFrames.sum(), scripted);
        }

        void reset() {
            requests.reset();
            byFault.clear();
            started.reset();
            completed.reset();
            clientClosed.reset();
            cut.reset();
            frames.reset();
            lateFrames.reset();
            maxLagNanos.set(0);
        }
    }
}
