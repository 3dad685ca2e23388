package io.askexpert.runs;

import io.askexpert.config.Mode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The producing side of one live run, held by the code that runs it. Events are appended to the
 * {@link EventLog} (streams are written from there); {@link #finish} appends the one terminal
 * event, records the outcome and frees the session. A cancel, from the API, a disconnected client
 * or another instance, runs the hooks registered with {@link #onCancel} (abort the upstream call);
 * the runner then ends the run with {@link RunEvent.Cancelled}.
 */
public final class RunHandle {

    /** Encodes what {@link #emit} returns for a held event (its id once released); immutable. */
    private static final RunEventJson HELD_JSON = new RunEventJson();

    private final String runId;
    private final String tenantId;
    private final String userId;
    private final @Nullable String sessionId;
    private final Mode mode;
    private final Instant startedAt;
    private final long startNanos = System.nanoTime();
    private final EventLog log;
    private final Predicate<Ending> onFinish;
    private final Duration retention;
    private final List<Runnable> cancelHooks = new CopyOnWriteArrayList<>();
    private volatile long lastEventId;
    private volatile long lastEventNanos = System.nanoTime();
    private volatile @Nullable String cancelReason;
    private volatile @Nullable Supplier<KnownCost> costSoFar;
    private boolean finished;
    /**
     * Events of a run whose row is still being written ({@link RunRegistry#startBehind}): they reach
     * the log only once the row is committed, so no client ever sees a run the database does not
     * know. Null once released (or for a run recorded before its first event).
     */
    private @Nullable List<RunEvent> held;
    private boolean abandoned;
    /**
     * The terminal event a caller's transaction is writing into the run's row ({@link RunRegistry#closeWith}),
     * and the id it is written under; null otherwise. While it is set nothing else is appended (no
     * heartbeat), so {@link #finish} appends the event under that id.
     */
    private RunEvent.@Nullable Terminal closing;
    private long closingId;
    /** What the registry last recorded in the run's row; read and written by its ticker only. */
    private long recordedEventId;
    private @Nullable KnownCost recordedCost;

    /**
     * What the registry needs when a run ends; {@code onFinish} answers false when the run's row
     * was already closed by someone else (a reaper took this instance for dead), and then this
     * handle appends nothing: the run has its one terminal event already. {@code recorded}: the
     * row was closed with this event in the caller's own transaction, which committed.
     */
    record Ending(RunHandle handle, String status, long terminalId, RunEvent.Terminal terminal, boolean recorded) {
    }

    RunHandle(String runId, RunStart start, Instant startedAt, EventLog log, Predicate<Ending> onFinish,
              Duration retention) {
        this.retention = retention;
        this.runId = runId;
        this.tenantId = start.tenantId();
        this.userId = start.userId();
        this.sessionId = start.sessionId();
        this.mode = start.mode();
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

    public String userId() {
        return userId;
    }

    public @Nullable String sessionId() {
        return sessionId;
    }

    public Mode mode() {
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
        if (held != null) {
            held.add(event);
            return new Sequenced(lastEventId + held.size(), event.wireName(), HELD_JSON.encode(event));
        }
        if (abandoned) {
            // The run never existed (its row could not be written): what its producer still says goes nowhere.
            return new Sequenced(lastEventId + 1, event.wireName(), HELD_JSON.encode(event));
        }
        return append(event);
    }

    /** Holds every event until {@link #release}: the run's row is being written behind the caller. */
    synchronized void hold() {
        held = new java.util.ArrayList<>();
    }

    /** The run's row is committed: the held events go to the log, in order, and later ones directly. */
    synchronized void release() {
        List<RunEvent> events = held;
        held = null;
        if (events != null && !abandoned) {
            events.forEach(this::append);
        }
    }

    /**
     * The run's row could not be written: the run never existed. Nothing reaches the log, {@link
     * #finish} records nothing, and the work in flight is cancelled.
     */
    void abandon() {
        synchronized (this) {
            abandoned = true;
            held = null;
        }
        cancel("not_recorded");
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
        if (abandoned) {
            return false;
        }
        if (held != null) {
            throw new IllegalStateException("run " + runId + " ends before its row was written");
        }
        boolean recorded = terminal.equals(closing);
        long terminalId = recorded ? closingId : lastEventId + 1;
        closing = null;
        boolean ours = true;
        try {
            ours = onFinish.test(new Ending(this, status(terminal), terminalId, terminal, recorded));
        } finally {
            if (ours) {
                append(terminal);
                log.retain(runId, retention);
            }
        }
        return ours;
    }

    static String status(RunEvent.Terminal terminal) {
        return switch (terminal) {
            case RunEvent.Done d -> "done";
            case RunEvent.Failed f -> "error";
            case RunEvent.Cancelled c -> "cancelled";
        };
    }

    /**
     * The id {@code terminal} will be appended under, reserved for a transaction that writes it into
     * the run's row: heartbeats pause until {@link #finish} or {@link #keepOpen}. Asked again for the
     * same event (a retried transaction), the same id.
     */
    synchronized long closeWith(RunEvent.Terminal terminal) {
        if (finished || abandoned || held != null) {
            throw new IllegalStateException("run " + runId + " cannot be closed now");
        }
        if (!terminal.equals(closing)) {
            closing = terminal;
            closingId = lastEventId + 1;
        }
        return closingId;
    }

    /** The transaction that was to close the row rolled back: the run goes on as before. */
    synchronized void keepOpen() {
        closing = null;
    }

    public synchronized boolean finished() {
        return finished;
    }

    /**
     * As {@link #emit}, but appended only when nothing was appended under {@code key} in this run
     * before ({@link EventLog#appendOnce}); null when something was.
     */
    public synchronized @Nullable Sequenced emitOnce(String key, RunEvent event) {
        if (held != null || abandoned || event instanceof RunEvent.Terminal || finished) {
            return emit(event);
        }
        Sequenced s = log.appendOnce(runId, key, event);
        if (s != null) {
            lastEventId = s.id();
            lastEventNanos = System.nanoTime();
        }
        return s;
    }

    private Sequenced append(RunEvent event) {
        Sequenced s = log.append(runId, event);
        lastEventId = s.id();
        lastEventNanos = System.nanoTime();
        return s;
    }

    /** Sends a heartbeat when nothing was appended for {@code silenceNanos}; called by the registry's ticker. */
    synchronized void heartbeatIfSilent(long silenceNanos, Instant now) {
        if (!finished && held == null && !abandoned && closing == null
                && System.nanoTime() - lastEventNanos >= silenceNanos) {
            append(new RunEvent.Heartbeat(now.toString()));
        }
    }

    /**
     * Tells the registry how to learn the cost of the work in flight (an LLM call), which it
     * records with the run while it lasts: if this instance dies, that is what gets billed.
     */
    public void reportCost(Supplier<KnownCost> costSoFar) {
        this.costSoFar = Objects.requireNonNull(costSoFar);
    }

    /** What changed since the registry last recorded this run, or null when nothing did. */
    synchronized RunStore.@Nullable Progress progress(KnownCost.Codec codec) {
        if (finished || held != null || abandoned || closing != null) {
            return null;
        }
        Supplier<KnownCost> probe = costSoFar;
        KnownCost cost = probe == null ? null : probe.get();
        if (lastEventId == recordedEventId && Objects.equals(cost, recordedCost)) {
            return null;
        }
        recordedEventId = lastEventId;
        recordedCost = cost;
        return new RunStore.Progress(runId, lastEventId, cost == null ? null : codec.encode(cost));
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

    /** A handle continuing a run started elsewhere: its next event follows the last one in the log. */
    synchronized void continueAfter(EventLog log) {
        long last = 0;
        for (java.util.List<Sequenced> page = log.readAfter(runId, 0, 1000, Duration.ZERO); !page.isEmpty();
             page = log.readAfter(runId, last, 1000, Duration.ZERO)) {
            last = page.getLast().id();
        }
        lastEventId = last;
        recordedEventId = last;
    }
}
