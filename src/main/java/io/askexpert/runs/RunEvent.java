package io.askexpert.runs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.askexpert.fusion.FusionEvidence;
import io.askexpert.fusion.SelectedExpert;
import io.askexpert.knowledge.Source;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every event of api.md §4, one record per row of its table. JSON field names follow the table
 * exactly: snake_case by default, camelCase where the table says so ({@code tokenIndex},
 * {@code selectedExperts}, {@code durationMs}, …), each pinned by {@code @JsonProperty}.
 * Terminal events form {@link Terminal}; {@link RunHandle#finish} is the only way to append one,
 * so a run ends with exactly one of them by construction.
 */
public sealed interface RunEvent {

    /** The SSE {@code event:} name. */
    default String wireName() {
        return switch (this) {
            case Run e -> "run";
            case Progress e -> "progress";
            case Fusion e -> "fusion";
            case AgentSelected e -> "agent_selected";
            case Reasoning e -> "reasoning";
            case Token e -> "token";
            case Sources e -> "sources";
            case Citation e -> "citation";
            case ToolCall e -> "tool_call";
            case ToolResult e -> "tool_result";
            case Plan e -> "plan";
            case StepStarted e -> "step_started";
            case StepCompleted e -> "step_completed";
            case StepProgress e -> "step_progress";
            case TeamAssembly e -> "team_assembly";
            case Delegation e -> "delegation";
            case Checkpoint e -> "checkpoint";
            case Artifact e -> "artifact";
            case Notification e -> "notification";
            case Preflight e -> "preflight";
            case MissionStarted e -> "mission_started";
            case MissionCompleted e -> "mission_completed";
            case Cost e -> "cost";
            case Heartbeat e -> "heartbeat";
            case Failed e -> "error";
            case Cancelled e -> "cancelled";
            case Done e -> "done";
        };
    }

    /** {@code done}, {@code error} or {@code cancelled}: exactly one ends every stream. */
    sealed interface Terminal extends RunEvent permits Done, Failed, Cancelled {
    }

    /** The wire names of the terminal events. */
    static boolean isTerminal(String wireName) {
        return wireName.equals("done") || wireName.equals("error") || wireName.equals("cancelled");
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Run(@JsonProperty("run_id") String runId, @JsonProperty("session_id") @Nullable String sessionId,
               @JsonProperty("mission_id") @Nullable String missionId, String mode) implements RunEvent {
    }

    record Progress(String stage, String message, int progress) implements RunEvent {
        public Progress {
            if (progress < 0 || progress > 100) {
                throw new IllegalArgumentException("progress is 0..100, got " + progress);
            }
        }
    }

    record Fusion(@JsonProperty("selectedExperts") List<SelectedExpert> selectedExperts, Evidence evidence)
            implements RunEvent {

        @JsonInclude(JsonInclude.Include.NON_NULL)
        public record Evidence(String method, FusionEvidence.Weights weights,
                               @JsonProperty("sources_used") List<String> sourcesUsed,
                               @JsonProperty("per_source") Map<String, FusionEvidence.SourceReport> perSource,
                               @JsonProperty("retrieval_time_ms") long retrievalTimeMs, boolean degraded,
                               @JsonProperty("fallback_reason") @Nullable String fallbackReason) {

            public static Evidence of(FusionEvidence e) {
                return new Evidence(e.method(), e.weights(), e.sourcesUsed(), e.perSource(), e.retrievalTimeMs(),
                        e.degraded(), e.fallbackReason());
            }
        }
    }

    record AgentSelected(Agent agent) implements RunEvent {
        public record Agent(String id, String name, int level, String specialty, double score) {
        }
    }

    record Reasoning(String step, String agent, @JsonProperty("agentId") String agentId,
                     @JsonProperty("agentLevel") int agentLevel, String content, String status,
                     @JsonProperty("durationMs") long durationMs) implements RunEvent {
    }

    record Token(String content, @JsonProperty("tokenIndex") int tokenIndex) implements RunEvent {
    }

    /** One passage as {@code sources.items[]} and {@code citation} carry it. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Passage(String id, int index, String source, String title, String excerpt, @Nullable String url,
                   double confidence, @JsonProperty("document_id") String documentId,
                   @JsonProperty("chunk_id") String chunkId, Map<String, Object> metadata) {

        public static Passage of(Source s) {
            return new Passage(s.id(), s.index(), s.source(), s.title(), s.excerpt(), s.url(), s.confidence(),
                    s.documentId(), s.chunkId(), s.metadata());
        }
    }

    record Sources(List<Passage> items) implements RunEvent {
        public Sources {
            items = List.copyOf(items);
        }
    }

    /** One cited passage; on the wire the passage itself is the event's data. */
    record Citation(Passage item) implements RunEvent {
        @JsonValue
        public Passage item() {
            return item;
        }
    }

    record ToolCall(String id, String tool, Map<String, Object> input) implements RunEvent {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ToolResult(String id, String tool, @Nullable Object output, @JsonProperty("durationMs") long durationMs,
                      @Nullable String error) implements RunEvent {
    }

    record Plan(List<PlanStep> steps, @JsonProperty("plan_confidence") double planConfidence) implements RunEvent {
        public record PlanStep(String id, String name, String description, String status,
                               @JsonProperty("estimated_time_s") long estimatedTimeS) {
        }
    }

    record StepStarted(@JsonProperty("step_id") String stepId, String name) implements RunEvent {
    }

    record StepCompleted(@JsonProperty("step_id") String stepId, @JsonProperty("duration_ms") long durationMs,
                         String status) implements RunEvent {
    }

    record StepProgress(int step, int total, String name, int progress) implements RunEvent {
    }

    record TeamAssembly(List<Member> team, @JsonProperty("assembly_time_ms") long assemblyTimeMs,
                        @JsonProperty("fusion_evidence") Fusion.Evidence fusionEvidence) implements RunEvent {
        public record Member(String id, String name, int confidence, String role) {
        }
    }

    record Delegation(String from, String to, String task, String reason) implements RunEvent {
    }

    record Checkpoint(String id, String type, String urgency, String title, String question,
                      Map<String, Object> context, List<Object> options, @JsonProperty("timeout_s") long timeoutS)
            implements RunEvent {
    }

    record Artifact(String id, String type, String title, String format, String preview,
                    @JsonProperty("download_url") String downloadUrl) implements RunEvent {
    }

    record Notification(String type, String title, String message) implements RunEvent {
    }

    record Preflight(String status, List<Object> checks) implements RunEvent {
    }

    record MissionStarted(@JsonProperty("mission_id") String missionId, String status) implements RunEvent {
    }

    record MissionCompleted(@JsonProperty("mission_id") String missionId, String status, List<Object> artifacts,
                            Metrics metrics) implements RunEvent {
        public record Metrics(@JsonProperty("duration_ms") long durationMs,
                              @JsonProperty("steps_executed") int stepsExecuted,
                              @JsonProperty("total_cost_usd") BigDecimal totalCostUsd) {
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Cost(@JsonProperty("inputTokens") long inputTokens, @JsonProperty("outputTokens") long outputTokens,
                @JsonProperty("cacheReadTokens") long cacheReadTokens,
                @JsonProperty("cacheWriteTokens") long cacheWriteTokens,
                @JsonProperty("totalTokens") long totalTokens, @JsonProperty("estimatedCost") BigDecimal estimatedCost,
                @JsonProperty("currentCost") BigDecimal currentCost,
                @JsonProperty("budgetLimit") @Nullable BigDecimal budgetLimit) implements RunEvent {
    }

    /** {@code ts}: ISO-8601 instant. */
    record Heartbeat(String ts) implements RunEvent {
    }

    /** The {@code error} event. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Failed(String code, String message, boolean recoverable,
                  @JsonProperty("retryAfterMs") @Nullable Long retryAfterMs) implements Terminal {
    }

    record Cancelled(String reason, @JsonProperty("partial_cost") BigDecimal partialCost) implements Terminal {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Done(boolean success, @JsonProperty("session_id") @Nullable String sessionId,
                @JsonProperty("message_id") @Nullable String messageId, @JsonProperty("run_id") String runId,
                @JsonProperty("response_time_ms") long responseTimeMs, @JsonProperty("totalTokens") long totalTokens,
                BigDecimal cost, @JsonProperty("experts_used") @Nullable List<String> expertsUsed,
                @JsonProperty("mission_id") @Nullable String missionId) implements Terminal {
    }
}
