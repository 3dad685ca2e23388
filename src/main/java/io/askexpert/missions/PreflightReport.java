package io.askexpert.missions;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.util.List;

/**
 * The answer of {@code POST /mode4/mission/{id}/preflight} (api.md §6.2) and the body of the
 * {@code preflight} event: four checks ({@code budget}, {@code tools}, {@code permissions},
 * {@code context}), each {@code passed}, {@code warning} or {@code failed}; a failed check's detail
 * says what to change.
 */
public record PreflightReport(@JsonProperty("mission_id") String missionId,
                              @JsonProperty("preflight_passed") boolean preflightPassed, List<Check> checks,
                              @JsonProperty("estimated_cost_usd") BigDecimal estimatedCostUsd,
                              @JsonProperty("estimated_duration_minutes") double estimatedDurationMinutes) {

    public PreflightReport {
        checks = List.copyOf(checks);
    }

    public record Check(String id, String name, String status, String detail) {
        static Check passed(String id, String name, String detail) {
            return new Check(id, name, "passed", detail);
        }

        static Check warning(String id, String name, String detail) {
            return new Check(id, name, "warning", detail);
        }

        static Check failed(String id, String name, String detail) {
            return new Check(id, name, "failed", detail);
        }

        @JsonIgnore
        boolean isFailed() {
            return status.equals("failed");
        }
    }

    /** {@code passed}, or {@code failed} when any check failed. */
    @JsonIgnore
    String status() {
        return preflightPassed ? "passed" : "failed";
    }

    /** The first failed check, for the mission's error when the preflight stops it. */
    @JsonIgnore
    Check firstFailure() {
        return checks.stream().filter(Check::isFailed).findFirst().orElseThrow();
    }
}
