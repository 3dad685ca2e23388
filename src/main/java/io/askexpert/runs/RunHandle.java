package io.askexpert.runs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The producing side of one live run, held by the code that runs it. Events are appended to the
 * {@link EventLog} (streams are written from there); {@link #finish} appends the one terminal
 * event, records the outcome and frees the session. A cancel, from the API, a disconnected client
 * or another instance, runs the hooks registered with {@link #onCancel} (abort the upstream call);
 * the runner then ends the run with {@link RunEvent.Cancelled}.
 */
public final class RunHandle {

    private final String runId;
    private final String tenantId;
    private final @Nullable String sessionId;
    private final int mode;
    private final Instant startedAt;
    private final long startNanos = System.nanoTime();
    private final EventLog log;
    private final Consumer<Ending> onFinish;
    private final Duration retention;
    private final List<Runnable> cancelHooks = new CopyOnWriteArrayList<>();
    private volatile long lastEventId;
    private volatile long lastEventNanos = System.nanoTime();
    private volatile @Nullable String cancelReason;
    private boolean finished;

    /** What the registry needs when a run ends. */
    record Ending(RunHandle handle, String status, long terminalId) {
    }

    RunHandle(String runId, String tenantId, @Nullable String sessionId, int mode, Instant startedAt, EventLog log,
              Consumer<Ending> onFinish, Duration retention) {
        this.retention = retention;
        this.runId = runId;
        this.tenantId = tenantId;
        this.sessionId = sessionId;
        this.mode = mode;
        this.startedAt = startedAt;
        this.log = log;
        this.onFinish = onFinish;
    }

    public String runId() {
        return runId;
    }

    public String tenantId() {
        return tenantId;
    }

    public @Nullable String sessionId() {
        return sessionId;
    }

    public int mode() {
        return mode;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Milliseconds since the run started, for {@code response_time_ms}. */
    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Appends a non-terminal event; refused once the run has ended. */
    public synchronized Sequenced emit(RunEvent event) {
        if (event instanceof RunEvent.Terminal) {
            throw new IllegalArgumentException("terminal events go through finish()");
        }
        if (finished) {
            throw new IllegalStateException("run " + runId + " has already ended");
        }
        return append(event);
    }

    /**
     * Ends the run with its one terminal event: the outcome is recorded and the session freed
     * before the event is appended, so a client that sees {@code done} can ask its next question
     * at once. Returns false (and appends nothing) when the run had already ended.
     */
    public synchronized boolean finish(RunEvent.Terminal terminal) {
        if (finished) {
            return false;
        }
        finished = true;
        String status = switch (terminal) {
            case RunEvent.Done d -> "done";
            case RunEvent.Failed f -> "error";
            case RunEvent.Cancelled c -> "cancelled";
        };
        try {
            onFinish.accept(new Ending(this, status, lastEventId + 1));
        } finally {
            append(terminal);
            log.retain(runId, retention);
        }
        return true;
    }

    public synchronized boolean finished() {
        return finished;
    }

    private Sequenced append(RunEvent event) {
        Sequenced s = log.append(runId, event);
        lastEventId = s.id();
        lastEventNanos = System.nanoTime();
        return s;
    }

    /** Sends a heartbeat when nothing was appended for {@code silenceNanos}; called by the registry's ticker. */
    synchronized void heartbeatIfSilent(long silenceNanos, Instant now) {
        if (!finished && System.nanoTime() - lastEventNanos >= silenceNanos) {
            append(new RunEvent.Heartbeat(now.toString()));
        }
    }

    /** True once a cancel arrived; the runner should stop and end with {@code cancelled}. */
    public boolean cancelled() {
        return cancelReason != null;
    }

    public @Nullable String cancelReason() {
        return cancelReason;
    }

    /** Runs {@code hook} when the run is cancelled (at once if it already was). */
    public void onCancel(Runnable hook) {
        cancelHooks.add(hook);
        if (cancelReason != null && cancelHooks.remove(hook)) {
            hook.run();
        }
    }

    void cancel(String reason) {
        synchronized (this) {
            if (cancelReason != null || finished) {
                return;
            }
            cancelReason = reason;
        }
        for (Runnable hook : cancelHooks) {
            if (cancelHooks.remove(hook)) {
                hook.run();
            }
        }
    }

    long lastEventId() {
        return lastEventId;
    }
}
