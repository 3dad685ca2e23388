package io.askexpert.missions;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One periodic duty: renews the lease of every mission this process's workers hold, every third
 * of the lease's time to live, and counts their running time. A renewal that finds the mission
 * changed (paused, cancelled, taken over) means the lease is lost: the attempt is stopped, which
 * interrupts its executor. A worker that cannot reach the database stops its attempts before their
 * leases can expire, so two workers never run one mission knowingly at once. The mode's timeout is
 * enforced here too.
 */
final class MissionLeases implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MissionLeases.class);

    private final MissionStore store;
    private final Duration ttl;
    private final Set<MissionAttempt> held = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("mission-leases").factory());

    MissionLeases(MissionStore store, MissionSettings settings) {
        this.store = store;
        this.ttl = settings.leaseTtl();
        long period = Math.max(10, settings.renewEvery().toMillis());
        timer.scheduleAtFixedRate(this::renewAll, period, period, TimeUnit.MILLISECONDS);
    }

    void hold(MissionAttempt attempt) {
        held.add(attempt);
    }

    void release(MissionAttempt attempt) {
        held.remove(attempt);
    }

    /** Stops every attempt held here (the process is shutting down): each lets its mission go back to the queue. */
    int stopAll() {
        held.forEach(a -> a.stop(MissionSuspended.Reason.LEASE_LOST));
        return held.size();
    }

    private void renewAll() {
        for (MissionAttempt a : held) {
            if (a.stopReason() != null) {
                continue;
            }
            if (a.overTime()) {
                a.timeOut();
                continue;
            }
            try {
                renew(a);
            } catch (RuntimeException e) {
                // Without the database the lease cannot be renewed: stop before it expires, so another
                // worker does not take the mission over while this one still runs it.
                if (a.sinceRenewalNanos() > ttl.toNanos() * 2 / 3) {
                    log.warn("Mission {}: lease could not be renewed ({}); stopping", a.missionId(),
                            e.getClass().getSimpleName());
                    a.stop(MissionSuspended.Reason.LEASE_LOST);
                }
            }
        }
    }

    /**
     * Called by the attempt's own thread before it does anything others can see (an event, a call
     * with effects): when the last renewal is older than half the lease, renews it now, so an
     * attempt whose renewals were starved (a loaded machine, a long pause) learns it lost the lease
     * before it acts, not after another worker took the mission over. Half the lease leaves the
     * act itself at least that long to land inside it.
     */
    void confirm(MissionAttempt a) {
        if (a.stopReason() != null || a.sinceRenewalNanos() <= ttl.toNanos() / 2) {
            return;
        }
        try {
            renew(a);
        } catch (RuntimeException e) {
            log.warn("Mission {}: lease could not be confirmed ({}); stopping", a.missionId(), e.getClass().getSimpleName());
            a.stop(MissionSuspended.Reason.LEASE_LOST);
        }
    }

    private void renew(MissionAttempt a) {
        long asked = System.nanoTime();
        if (store.renew(a.missionId(), a.owner(), a.version(), ttl, a.takeRunningMs())) {
            a.renewed(asked);
        } else {
            log.info("Mission {}: lease lost (paused, cancelled or taken over)", a.missionId());
            a.stop(MissionSuspended.Reason.LEASE_LOST);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
