package io.askexpert.missions;

/**
 * Thrown through the executor when the mission must stop holding its worker: a checkpoint now
 * waits for a human, or the mission was paused or cancelled. The runner catches it and parks the
 * mission as data; nothing is lost, as everything before it was recorded.
 */
public final class MissionSuspended extends RuntimeException {

    /** Why the mission stopped running. */
    public enum Reason { WAITING_FOR_HUMAN, PAUSED, CANCELLED, LEASE_LOST }

    private final Reason reason;

    public MissionSuspended(Reason reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
