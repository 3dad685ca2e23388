package io.askexpert.missions;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One periodic duty: no mission is left without a worker. A running mission whose lease expired
 * (its worker died: kill -9, lost network) goes back to the queue, by compare-and-set from the
 * version seen, so of several instances sweeping at once one re-queues it. A queued mission that
 * no worker took for a while is pushed again (its queue entry was lost with a crashed worker or a
 * flushed Redis), and so is a mission that waits for a checkpoint that is no longer pending.
 */
final class LeaseReaper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);
    private static final int BATCH = 100;

    private final MissionStore store;
    private final MissionControl control;
    private final Duration queuedGrace;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("lease-reaper").factory());

    LeaseReaper(MissionStore store, MissionControl control, MissionSettings settings) {
        this.store = store;
        this.control = control;
        this.queuedGrace = settings.queuedGrace();
        long period = settings.sweepInterval().toMillis();
        timer.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.debug("Lease sweep failed: {}", e.getClass().getSimpleName());
        }
    }

    /** Returns how many missions this sweep put back in the queue. */
    int sweep() {
        int requeued = 0;
        for (MissionRecord m : store.expiredLeases(BATCH)) {
            if (control.requeue(m)) {
                log.info("Mission {}: the lease of {} expired; queued for another worker", m.mission().id(), m.leaseOwner());
                requeued++;
            }
        }
        List<MissionRecord> forgotten = store.stale(MissionStatus.QUEUED, queuedGrace, BATCH);
        for (MissionRecord m : forgotten) {
            if (store.touch(m.mission().id(), m.version()) && control.requeue(m)) {
                requeued++;
            }
        }
        for (MissionRecord m : store.waitingForNothing(queuedGrace, BATCH)) {
            if (control.requeue(m)) {
                requeued++;
            }
        }
        return requeued;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
