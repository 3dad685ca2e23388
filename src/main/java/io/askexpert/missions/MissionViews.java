package io.askexpert.missions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.askexpert.checkpoints.Checkpoint;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The JSON bodies of the mission routes (api.md §6 and the status and history shapes of the brief). */
public final class MissionViews {

    private MissionViews() {
    }

    public record AgentRef(String id, String name) {
    }

    /** {@code 201} of {@code /mode3/mission/create}. */
    public record Created(@JsonProperty("mission_id") String missionId, String status, String goal, AgentRef agent,
                          @JsonProperty("created_at") Instant createdAt) {
    }

    public record PlanView(List<Object> steps, @JsonProperty("plan_confidence") double planConfidence) {
    }

    public record PendingCheckpoint(String id, String type, String urgency, String title, String question,
                                    Map<String, @Nullable Object> context, List<String> options,
                                    @JsonProperty("timeout_at") Instant timeoutAt) {

        static PendingCheckpoint of(Checkpoint c) {
            return new PendingCheckpoint(c.id().toString(), c.type(), c.urgency(), c.title(), c.question(), c.context(),
                    c.options(), c.timeoutAt());
        }
    }

    public record Budget(@JsonProperty("limit_usd") BigDecimal limitUsd, @JsonProperty("spent_usd") BigDecimal spentUsd,
                         @JsonProperty("reserved_usd") BigDecimal reservedUsd) {
    }

    public record ArtifactView(String id, String type, String title, String format,
                               @JsonProperty("download_url") String downloadUrl) {
    }

    public record ErrorView(String code, String message) {
    }

    /** {@code GET /mission/status/{id}}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Status(@JsonProperty("mission_id") String missionId, int mode, String status, String goal,
                         @Nullable String title, AgentRef agent, int progress, @JsonProperty("run_id") @Nullable String runId,
                         @Nullable PlanView plan, @JsonProperty("current_step") @Nullable Map<String, Object> currentStep,
                         @JsonProperty("checkpoints_pending") int checkpointsPending,
                         @JsonProperty("pending_checkpoints") List<PendingCheckpoint> pendingCheckpoints, Budget budget,
                         List<ArtifactView> artifacts, @JsonProperty("created_at") Instant createdAt,
                         @JsonProperty("updated_at") Instant updatedAt, @Nullable ErrorView error, boolean offline) {
    }

    /** One item of {@code GET /mission/history}. */
    public record HistoryItem(@JsonProperty("mission_id") String missionId, int mode, String status, String goal,
                              @Nullable String title, AgentRef agent, @JsonProperty("created_at") Instant createdAt,
                              @JsonProperty("updated_at") Instant updatedAt,
                              @JsonProperty("total_cost_usd") BigDecimal totalCostUsd) {
    }

    public record History(List<HistoryItem> missions, long total, int limit, int offset) {
    }

    /** A control route's answer: the mission as it is after the move. */
    public record Control(@JsonProperty("mission_id") String missionId, String status, int mode,
                          @JsonProperty("run_id") @Nullable String runId) {
    }

    /** A checkpoint decision's answer. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Decided(@JsonProperty("checkpoint_id") String checkpointId,
                          @JsonProperty("mission_id") String missionId, String status, @Nullable String decision,
                          @Nullable String comment, @Nullable String option,
                          @JsonProperty("decided_by") @Nullable String decidedBy,
                          @JsonProperty("decided_at") @Nullable Instant decidedAt,
                          @JsonProperty("mission_status") String missionStatus) {
    }

    /** An artifact to download. */
    public record Download(String title, String format, String content) {
    }

    /** Where a mission's stream reads from. */
    public record Stream(String runId, String tenantId) {
    }
}
