package io.askexpert.missions;

import io.askexpert.queue.MissionQueue;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The worker of roles {@code serve} and {@code worker}: one dispatcher thread takes mission ids
 * from the queue while fewer than {@code WORKERS} missions run here, takes each mission's lease in
 * PostgreSQL (an id whose mission is not queued, or is leased by a live worker, is dropped: the
 * queue is only a wake-up) and runs it on a virtual thread of its own. A mission that waits for a
 * person or is paused has returned its thread and its slot.
 */
final class MissionWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MissionWorker.class);
    private static final Duration POLL = Duration.ofSeconds(1);

    private final MissionQueue queue;
    private final MissionStore store;
    private final MissionRunner runner;
    private final String owner;
    private final Duration leaseTtl;
    private final int slots;
    private final Semaphore free;
    private volatile boolean running;
    private Thread dispatcher;

    /** How long a stopping worker waits for its missions to be handed back to the queue. */
    private static final Duration HAND_BACK = Duration.ofSeconds(10);

    private final MissionLeases leases;

    MissionWorker(MissionQueue queue, MissionStore store, MissionRunner runner, MissionLeases leases, String owner,
                  MissionSettings settings, int workers) {
        this.leases = leases;
        this.queue = queue;
        this.store = store;
        this.runner = runner;
        this.owner = owner;
        this.leaseTtl = settings.leaseTtl();
        this.slots = workers;
        this.free = new Semaphore(workers);
    }

    @Override
    public void start() {
        if (slots == 0) {
            return; // this role runs no missions (api, cli)
        }
        running = true;
        dispatcher = Thread.ofPlatform().daemon().name("mission-dispatcher").start(this::dispatch);
        log.info("Mission worker {} started: up to {} missions at once", owner, slots);
    }

    private void dispatch() {
        while (running) {
            try {
                if (!free.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                    continue;
                }
                boolean started = false;
                try {
                    Optional<UUID> id = queue.take(POLL);
                    if (id.isPresent()) {
                        started = launch(id.get());
                    }
                } finally {
                    if (!started) {
                        free.release();
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Mission queue unavailable ({}); retrying", e.getClass().getSimpleName());
                sleepQuietly();
            }
        }
    }

    private boolean launch(UUID missionId) {
        long claimedAt = System.nanoTime();
        Optional<MissionRecord> taken = store.claim(missionId, owner, leaseTtl);
        if (taken.isEmpty()) {
            return false; // someone else holds it, or it no longer wants a worker
        }
        Thread.ofVirtual().name("mission-" + missionId).start(() -> {
            try {
                runner.run(taken.get(), owner, claimedAt);
            } catch (RuntimeException e) {
                // The lease lapses and the reaper re-queues the mission; nothing is lost but time.
                log.warn("Mission {}: the attempt ended abnormally ({})", missionId, e.getClass().getSimpleName(), e);
            } finally {
                free.release();
            }
        });
        return true;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Missions running here now. */
    int busy() {
        return slots - free.availablePermits();
    }

    /**
     * Stops taking missions and hands the running ones back: each attempt is stopped (its call
     * aborted), its mission re-queued with everything recorded so far, for another worker or the
     * next start of this one. A mission not handed back in time is taken over when its lease expires.
     */
    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        if (dispatcher != null) {
            dispatcher.interrupt();
        }
        int stopping = leases.stopAll();
        if (stopping > 0) {
            log.info("Handing {} running mission(s) back to the queue", stopping);
            try {
                if (free.tryAcquire(slots, HAND_BACK.toMillis(), TimeUnit.MILLISECONDS)) {
                    free.release(slots);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
