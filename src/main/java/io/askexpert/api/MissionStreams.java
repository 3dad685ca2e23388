package io.askexpert.api;

import io.askexpert.runs.RunInfo;
import io.askexpert.runs.RunRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes a mission's run to one client (api.md §4, §6.1): a replay after {@code Last-Event-ID},
 * then live until the terminal event, however long the mission waits in between. A client that
 * goes away changes nothing: missions always continue without a client.
 */
@Component
class MissionStreams {

    private static final Logger log = LoggerFactory.getLogger(MissionStreams.class);

    private final RunStreamer streamer;
    private final RunRegistry runs;

    MissionStreams(RunStreamer streamer, RunRegistry runs) {
        this.streamer = streamer;
        this.runs = runs;
    }

    void relay(String tenantId, String runId, long afterId, HttpServletResponse response) {
        SseWriter writer = new SseWriter(response, runId);
        Optional<RunInfo> recorded = runs.recorded(tenantId, runId);
        if (recorded.isPresent() && !recorded.get().running()) {
            streamer.replayFinished(recorded.get(), afterId, writer);
            return;
        }
        streamer.follow(tenantId, runId, afterId, writer, () -> {
            try {
                runs.heartbeat(runId);
            } catch (RuntimeException e) {
                // The event log is away for a moment; the next silence asks again.
                log.debug("Run {}: heartbeat not appended: {}", runId, e.getClass().getSimpleName());
            }
        });
    }
}
