package io.askexpert.api;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.runs.RunRegistry;
import io.askexpert.runs.Sequenced;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Writes a run's events to one client from the event log: what was already appended after the
 * client's last id, then each new event as it is appended, until the terminal event. The log,
 * not the producer, feeds the client, so a live stream and a resumed one (on any instance) are
 * the same code and every event a client sees is already replayable.
 */
@Component
class RunStreamer {

    private static final int BATCH = 256;

    private final RunRegistry runs;
    private final Duration giveUpAfter;

    RunStreamer(RunRegistry runs, AskExpertSettings settings) {
        this.runs = runs;
        // The owner appends a heartbeat after every interval of silence; two missed ones mean it is gone.
        this.giveUpAfter = settings.runs().heartbeatInterval().multipliedBy(2).plusSeconds(5);
    }

    /** How a stream ended for its client. */
    enum Outcome { COMPLETED, CLIENT_GONE, PRODUCER_SILENT }

    Outcome stream(String runId, long afterId, SseWriter writer) {
        long after = afterId;
        long silentSince = System.nanoTime();
        while (true) {
            List<Sequenced> batch = runs.read(runId, after, BATCH, Duration.ofSeconds(1));
            if (batch.isEmpty()) {
                if (Thread.currentThread().isInterrupted()) {
                    return Outcome.CLIENT_GONE;
                }
                if (System.nanoTime() - silentSince > giveUpAfter.toNanos()) {
                    return Outcome.PRODUCER_SILENT;
                }
                continue;
            }
            silentSince = System.nanoTime();
            for (Sequenced event : batch) {
                try {
                    writer.write(event);
                } catch (IOException e) {
                    return Outcome.CLIENT_GONE;
                }
                after = event.id();
                if (event.terminal()) {
                    return Outcome.COMPLETED;
                }
            }
        }
    }
}
