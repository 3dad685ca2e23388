package io.askexpert.missions;

import java.util.Locale;

/** A mission's state (api.md §6); the legal moves between them are {@link MissionTransitions}. */
public enum MissionStatus {
    CREATED, QUEUED, RUNNING, WAITING_FOR_HUMAN, PAUSED, COMPLETED, FAILED, CANCELLED;

    /** The wire and column form: {@code waiting_for_human}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MissionStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public boolean terminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }
}
