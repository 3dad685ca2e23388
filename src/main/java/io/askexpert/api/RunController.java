package io.askexpert.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.askexpert.auth.TenantContext;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.runs.RunInfo;
import io.askexpert.runs.RunRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Resume and cancel (api.md §4): {@code GET /runs/{id}/stream}, {@code POST /runs/{id}/cancel}.
 * Only the run's own user (and, for a mission's run, the tenant's admins) finds it.
 */
@RestController
@RequestMapping("/api/v1/expert/runs")
class RunController {

    private final RunRegistry runs;
    private final RunStreamer streamer;

    RunController(RunRegistry runs, RunStreamer streamer) {
        this.runs = runs;
        this.streamer = streamer;
    }

    /** Replays every event after {@code Last-Event-ID} (or {@code ?after=}) and continues live. */
    @GetMapping(value = "/{runId}/stream")
    void stream(TenantContext tenant, @PathVariable String runId,
                @RequestHeader(value = "Last-Event-ID", required = false) @Nullable String lastEventId,
                @RequestParam(value = "after", required = false) @Nullable String after,
                HttpServletResponse response) {
        long afterId = lastEventId != null ? parseId("Last-Event-ID", lastEventId)
                : after != null ? parseId("after", after) : 0;
        RunInfo run = runs.find(tenant, runId)
                .orElseThrow(() -> AskExpertException.notFound(ErrorCode.RUN_NOT_FOUND, "run", runId));
        SseWriter writer = new SseWriter(response, runId);
        if (!run.running()) {
            // An EventSource reconnects with the terminal event's id: the answer is "nothing more", now.
            streamer.replayFinished(run, afterId, writer);
            return;
        }
        // A resumed stream never cancels the run: on_disconnect belongs to the request that started it.
        streamer.stream(run.tenantId(), runId, afterId, writer);
    }

    /** Stops the run; it ends with {@code cancelled} once its upstream call has stopped. */
    @PostMapping("/{runId}/cancel")
    ResponseEntity<CancelResponse> cancel(TenantContext tenant, @PathVariable String runId) {
        RunInfo info = runs.cancel(tenant, runId, "cancelled_by_user");
        return info.running()
                ? ResponseEntity.status(HttpStatus.ACCEPTED).body(new CancelResponse(runId, "cancelling"))
                : ResponseEntity.ok(new CancelResponse(runId, info.status()));
    }

    record CancelResponse(@JsonProperty("run_id") String runId, String status) {
    }

    private static long parseId(String field, String value) {
        try {
            long id = Long.parseLong(value.strip());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new AskExpertException(ErrorCode.VALIDATION_ERROR, field + " must be a non-negative event id",
                Map.of("field", field));
    }
}
