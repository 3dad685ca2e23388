package io.askexpert.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.askexpert.config.Mode;
import io.askexpert.interactive.InteractiveAnswer;
import io.askexpert.runs.RunEvent;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code /mode1/query} and {@code /mode2/query} (api.md §5.1): the answer, its
 * citations and reasoning, and {@code cost} in the shape of the {@code cost} event.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record QueryResponse(String response, List<RunEvent.Passage> citations, List<RunEvent.Reasoning> reasoning,
                     double confidence, @JsonProperty("session_id") String sessionId,
                     @JsonProperty("message_id") @Nullable String messageId, @JsonProperty("run_id") String runId,
                     RunEvent.Cost cost, @JsonProperty("response_time_ms") long responseTimeMs,
                     @JsonProperty("experts_used") @Nullable List<String> expertsUsed, boolean offline) {

    static QueryResponse of(InteractiveAnswer a, Mode mode) {
        return new QueryResponse(a.response(), a.citations(), a.reasoning(), a.confidence(), a.sessionId(),
                a.messageId(), a.runId(), a.cost(), a.responseTimeMs(), mode == Mode.MODE2 ? a.expertsUsed() : null, a.offline());
    }
}
