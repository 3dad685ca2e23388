package io.askexpert.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The small request bodies of the mission routes (api.md §6.1, §6.3), each checked field by field. */
final class MissionBodies {

    private MissionBodies() {
    }

    static final List<String> DECISIONS = List.of("approve", "reject", "modify");

    /** {@code POST /modeN/stream}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record StreamBody(@JsonProperty("mission_id") @Nullable String missionId) {
        String required() {
            return requireMissionId(missionId);
        }
    }

    /** {@code POST /mode3/checkpoint/{id}/approve} and {@code POST /mission/checkpoint/{id}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record DecisionBody(@Nullable String decision, @Nullable String comment, @Nullable String option,
                        @Nullable Integer mode) {
        String validDecision() {
            if (decision == null || !DECISIONS.contains(decision)) {
                throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "decision must be approve, reject or modify",
                        Map.of("field", "decision", "allowed", DECISIONS));
            }
            if (comment != null && comment.length() > 5_000) {
                throw AskExpertException.invalid("comment", "comment must be at most 5,000 characters");
            }
            if (option != null && option.length() > 500) {
                throw AskExpertException.invalid("option", "option must be at most 500 characters");
            }
            validMode(mode);
            return decision;
        }
    }

    /** {@code POST /mission/pause|resume|cancel}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ControlBody(@JsonProperty("mission_id") @Nullable String missionId, @Nullable Integer mode,
                       @Nullable String reason) {
        String required() {
            validMode(mode);
            validReason(reason);
            return requireMissionId(missionId);
        }
    }

    /** {@code POST /mode3/mission/{id}/cancel}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record CancelBody(@Nullable String reason) {
    }

    static @Nullable String validReason(@Nullable String reason) {
        if (reason != null && reason.length() > 500) {
            throw AskExpertException.invalid("reason", "reason must be at most 500 characters");
        }
        return reason;
    }

    private static void validMode(@Nullable Integer mode) {
        if (mode != null && mode != 3 && mode != 4) {
            throw AskExpertException.invalid("mode", "mode must be 3 or 4");
        }
    }

    private static String requireMissionId(@Nullable String missionId) {
        if (missionId == null || missionId.isBlank()) {
            throw AskExpertException.invalid("mission_id", "mission_id is required");
        }
        if (missionId.length() > 64) {
            throw AskExpertException.invalid("mission_id", "mission_id must be at most 64 characters");
        }
        return missionId.strip();
    }

    static long lastEventId(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return 0;
        }
        try {
            long id = Long.parseLong(header.strip());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "Last-Event-ID must be a non-negative event id",
                Map.of("field", "Last-Event-ID"));
    }
}
