package io.askexpert.missions;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A mission with what only the engine reads: who holds its lease and until when, how long it has
 * run (counted against the mode's timeout) and why it failed.
 */
record MissionRecord(Mission mission, @Nullable String leaseOwner, @Nullable Instant leaseExpiresAt, long runningMs,
                     @Nullable String errorCode, @Nullable String errorMessage, @Nullable Instant finishedAt) {

    MissionStatus status() {
        return mission.status();
    }

    long version() {
        return mission.version();
    }

    boolean leaseExpired(Instant now) {
        return leaseExpiresAt == null || !leaseExpiresAt.isAfter(now);
    }
}
