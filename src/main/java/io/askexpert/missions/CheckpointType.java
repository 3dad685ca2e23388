package io.askexpert.missions;

import java.util.Locale;

/**
 * The checkpoint types of api.md §6.1. On timeout, critical and external actions default to
 * {@code reject} and reviews to {@code approve} (§6.4).
 */
public enum CheckpointType {
    BUDGET, PLAN_APPROVAL, STEP_REVIEW, CRITICAL_DECISION, EXTERNAL_ACTION, FINAL_REVIEW;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CheckpointType fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /** The decision a timeout applies. */
    public CheckpointDecision.Kind timeoutDefault() {
        return switch (this) {
            case CRITICAL_DECISION, EXTERNAL_ACTION, BUDGET -> CheckpointDecision.Kind.REJECT;
            case PLAN_APPROVAL, STEP_REVIEW, FINAL_REVIEW -> CheckpointDecision.Kind.APPROVE;
        };
    }
}
