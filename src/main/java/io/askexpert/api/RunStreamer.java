package io.askexpert.api;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.runs.RunInfo;
import io.askexpert.runs.RunRegistry;
import io.askexpert.runs.Sequenced;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Writes a run's events to one client from the event log: what was already appended after the
 * client's last id, then each new event as it is appended, until the terminal event. The log,
 * not the producer, feeds the client, so a live stream and a resumed one (on any instance) are
 * the same code and every event a client sees is already replayable. A run that has ended is
 * replayed without waiting: what the log still holds after the client's id, else the terminal
 * event kept with the run's row, then the stream closes (at once when the client has seen it).
 */
@Component
class RunStreamer {

    private static final int BATCH = 256;
    /** A reader asks for a heartbeat a little after a live producer would have sent one itself. */
    private static final long READER_LAG_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    private final RunRegistry runs;
    private final Duration checkAfter;
    private final Duration giveUpAfter;
    private final Duration heartbeat;

    RunStreamer(RunRegistry runs, AskExpertSettings settings) {
        this.runs = runs;
        this.heartbeat = settings.runs().heartbeatInterval();
        // A live owner appends a heartbeat after every interval of silence: longer silence means the
        // run ended (its row says how) or its instance died (a reaper closes it once it is stale).
        this.checkAfter = heartbeat.plusSeconds(5);
        this.giveUpAfter = heartbeat.multipliedBy(2).plus(settings.instances().staleAfter())
                .plus(settings.instances().heartbeatInterval()).plusSeconds(5);
    }

    /** How a stream ended for its client. */
    enum Outcome { COMPLETED, CLIENT_GONE, PRODUCER_SILENT }

    Outcome stream(String tenantId, String runId, long afterId, SseWriter writer) {
        return stream(tenantId, runId, afterId, writer, null);
    }

    /**
     * Follows a mission's run, which may have no producer for hours (it waits for a person, or
     * between workers): after a heartbeat interval of silence the reader asks for a heartbeat
     * ({@code onSilence}, appended to the log so every reader gets it with its id) and never gives
     * up while the run is open; it ends at the terminal event.
     */
    Outcome follow(String tenantId, String runId, long afterId, SseWriter writer, Runnable onSilence) {
        return stream(tenantId, runId, afterId, writer, onSilence);
    }

    private Outcome stream(String tenantId, String runId, long afterId, SseWriter writer,
                           @org.jspecify.annotations.Nullable Runnable onSilence) {
        long after = afterId;
        long silentSince = System.nanoTime();
        long checkedAt = silentSince;
        while (true) {
            List<Sequenced> batch = runs.read(runId, after, BATCH, Duration.ofSeconds(1));
            if (batch.isEmpty()) {
                if (Thread.currentThread().isInterrupted()) {
                    return Outcome.CLIENT_GONE;
                }
                long now = System.nanoTime();
                if (now - checkedAt > checkAfter.toNanos()) {
                    checkedAt = now;
                    Optional<RunInfo> recorded = runs.recorded(tenantId, runId);
                    if (recorded.isPresent() && !recorded.get().running()) {
                        return replayFinished(recorded.get(), after, writer);
                    }
                }
                if (onSilence != null) {
                    if (now - silentSince > heartbeat.toNanos() + READER_LAG_NANOS) {
                        silentSince = now; // the heartbeat, once read, also counts as an event
                        onSilence.run();
                    }
                } else if (now - silentSince > giveUpAfter.toNanos()) {
                    return Outcome.PRODUCER_SILENT;
                }
                continue;
            }
            silentSince = System.nanoTime();
            checkedAt = silentSince;
            for (Sequenced event : batch) {
                if (!write(writer, event)) {
                    return Outcome.CLIENT_GONE;
                }
                after = event.id();
                if (event.terminal()) {
                    return Outcome.COMPLETED;
                }
            }
        }
    }

    /** Replays an ended run after {@code afterId} without waiting for anything. */
    Outcome replayFinished(RunInfo run, long afterId, SseWriter writer) {
        long after = afterId;
        for (List<Sequenced> batch = runs.read(run.runId(), after, BATCH, Duration.ZERO); !batch.isEmpty();
             batch = runs.read(run.runId(), after, BATCH, Duration.ZERO)) {
            for (Sequenced event : batch) {
                if (!write(writer, event)) {
                    return Outcome.CLIENT_GONE;
                }
                after = event.id();
                if (event.terminal()) {
                    return Outcome.COMPLETED;
                }
            }
        }
        // The log forgot the run (retention passed, or its instance died with an in-process log).
        Optional<Sequenced> terminal = run.terminalEvent();
        if (terminal.isPresent() && terminal.get().id() > after && !write(writer, terminal.get())) {
            return Outcome.CLIENT_GONE;
        }
        return Outcome.COMPLETED;
    }

    private static boolean write(SseWriter writer, Sequenced event) {
        try {
            writer.write(event);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
