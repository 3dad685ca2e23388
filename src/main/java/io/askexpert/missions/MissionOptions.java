package io.askexpert.missions;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A mission's options (api.md §6.1 and §6.2), validated at creation.
 *
 * @param checkpointTypes  the types a human asked for; empty with {@code requireCheckpoints} means all
 * @param checkpointTimeout how long a checkpoint waits before its default applies
 */
public record MissionOptions(int maxSteps, BigDecimal budgetLimitUsd, boolean requireCheckpoints,
                             Set<CheckpointType> checkpointTypes, boolean enableFusion, int maxTeamSize,
                             Priority priority, boolean notifyOnCompletion, Duration checkpointTimeout) {

    /** Mode 4's queue priority. */
    public enum Priority { LOW, NORMAL, HIGH;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public MissionOptions {
        if (maxSteps < 1 || maxSteps > 50) {
            throw new IllegalArgumentException("max_steps must be 1-50");
        }
        if (budgetLimitUsd.signum() <= 0) {
            throw new IllegalArgumentException("budget_limit_usd must be positive");
        }
        if (maxTeamSize < 1 || maxTeamSize > 6) {
            throw new IllegalArgumentException("max_team_size must be 1-6");
        }
        checkpointTypes = Set.copyOf(checkpointTypes);
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(checkpointTimeout, "checkpointTimeout");
    }

    /** Whether a checkpoint of this type is asked for by the options (FF_HITL_STRICT adds more). */
    public boolean wants(CheckpointType type) {
        return requireCheckpoints && (checkpointTypes.isEmpty() || checkpointTypes.contains(type));
    }
}
