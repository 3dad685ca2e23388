package io.askexpert.missions;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One worker's hold on one running mission, from taking it to letting go: the lease it holds
 * (owner and version), the running time it has counted, and why it must stop early (a pause or
 * cancel signalled from any instance, a lost lease, the mode's timeout). Stopping interrupts the
 * executor's thread, which aborts an LLM call in flight.
 */
final class MissionAttempt {

    private final MissionRecord taken;
    private final String owner;
    private final Duration timeout;
    private final long startNanos = System.nanoTime();
    private final AtomicReference<MissionSuspended.@Nullable Reason> stop = new AtomicReference<>();
    private volatile boolean timedOut;
    private volatile @Nullable Thread thread;
    private long accountedNanos = startNanos;
    /** When the newest successful renewal (or the claim) was asked for: the lease runs a full TTL from no earlier. */
    private final AtomicLong leaseFromNanos;

    /**
     * @param claimedAtNanos {@link System#nanoTime()} taken before the claim was sent, so the lease is
     *                       never thought to last longer than the database granted it
     */
    MissionAttempt(MissionRecord taken, String owner, Duration timeout, long claimedAtNanos) {
        this.taken = taken;
        this.owner = owner;
        this.timeout = timeout;
        this.leaseFromNanos = new AtomicLong(claimedAtNanos);
    }

    MissionRecord taken() {
        return taken;
    }

    UUID missionId() {
        return taken.mission().id();
    }

    Mission mission() {
        return taken.mission();
    }

    String owner() {
        return owner;
    }

    long version() {
        return taken.version();
    }

    void runOn(@Nullable Thread executorThread) {
        this.thread = executorThread;
    }

    /** Milliseconds run since the last call, to add to the mission's {@code running_ms}. */
    synchronized long takeRunningMs() {
        long now = System.nanoTime();
        long ms = (now - accountedNanos) / 1_000_000;
        accountedNanos += ms * 1_000_000;
        return ms;
    }

    /** The mission's whole running time so far, this attempt included. */
    long totalRunningMs() {
        return taken.runningMs() + (System.nanoTime() - startNanos) / 1_000_000;
    }

    boolean overTime() {
        return totalRunningMs() > timeout.toMillis();
    }

    /** A renewal asked for at {@code askedAtNanos} succeeded; two renewals racing keep the later. */
    void renewed(long askedAtNanos) {
        leaseFromNanos.accumulateAndGet(askedAtNanos, Math::max);
    }

    long sinceRenewalNanos() {
        return System.nanoTime() - leaseFromNanos.get();
    }

    /** Asks the executor to stop; the first reason wins. */
    void stop(MissionSuspended.Reason reason) {
        if (stop.compareAndSet(null, reason)) {
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
        }
    }

    void timeOut() {
        timedOut = true;
        stop(MissionSuspended.Reason.LEASE_LOST);
    }

    boolean timedOut() {
        return timedOut;
    }

    MissionSuspended.@Nullable Reason stopReason() {
        return stop.get();
    }

    Duration timeout() {
        return timeout;
    }
}
