package io.askexpert.api;

import io.askexpert.runs.RunHandle;
import io.askexpert.runs.RunRegistry;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;

/**
 * Relays a freshly started interactive run to its client and applies api.md §4's disconnect
 * rule: a client that goes away cancels the run (and so the upstream LLM call) unless the request
 * asked for {@code options.on_disconnect = "continue"}.
 */
@Component
class InteractiveStreams {

    private final RunStreamer streamer;
    private final RunRegistry runs;

    InteractiveStreams(RunStreamer streamer, RunRegistry runs) {
        this.streamer = streamer;
        this.runs = runs;
    }

    void relay(RunHandle run, boolean continueOnDisconnect, HttpServletResponse response) {
        RunStreamer.Outcome outcome = streamer.stream(run.tenantId(), run.runId(), 0,
                new SseWriter(response, run.runId()));
        if (outcome == RunStreamer.Outcome.CLIENT_GONE && !continueOnDisconnect) {
            runs.cancelAbandoned(run.runId());
        }
    }
}
