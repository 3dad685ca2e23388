package io.askexpert.checkpoints;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One periodic duty: every pending checkpoint past its {@code timeout_at} gets its type's default
 * decision (api.md §6.4), recorded {@code expired}. Any instance may fire a timeout; the expiry is a
 * compare-and-set on the checkpoint's status, so each fires once, and the mission is re-queued in
 * the same transaction by the {@link Expiry} the missions engine gives.
 */
public final class CheckpointTimeouts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CheckpointTimeouts.class);
    private static final int BATCH = 100;

    /** Applies one timeout: expires the checkpoint and re-queues its mission, atomically. True when it fired. */
    public interface Expiry {
        boolean expire(Checkpoint due);
    }

    private final CheckpointStore store;
    private final Expiry expiry;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("checkpoint-timeouts").factory());

    public CheckpointTimeouts(CheckpointStore store, Expiry expiry, Duration period) {
        this.store = store;
        this.expiry = expiry;
        timer.scheduleWithFixedDelay(this::sweepQuietly, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.debug("Checkpoint timeout sweep failed: {}", e.getClass().getSimpleName());
        }
    }

    /** Fires every timeout due now; returns how many this instance fired. */
    public int sweep() {
        int fired = 0;
        List<Checkpoint> due;
        do {
            due = store.due(BATCH);
            for (Checkpoint c : due) {
                if (expiry.expire(c)) {
                    fired++;
                }
            }
        } while (due.size() == BATCH && fired > 0);
        if (fired > 0) {
            log.info("{} checkpoint(s) timed out and took their default decision", fired);
        }
        return fired;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
