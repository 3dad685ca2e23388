package io.askexpert.runs;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, cancels and finds runs. Every stream is a run: an id, a row in {@code runs}, and its
 * events in the {@link EventLog}. Starting a run on a session takes the session's lock
 * ({@code 409 SESSION_BUSY} when another run holds it, or cancels that run first with
 * {@code multitask=interrupt}); ending it releases the lock. Cancels reach the owning instance
 * wherever they are asked for. A ticker appends a {@code heartbeat} to any run silent for the
 * configured interval.
 */
public final class RunRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunRegistry.class);
    /** How long a run may outlive its mode's timeout before the session lock lapses on its own. */
    private static final Duration LOCK_GRACE = Duration.ofSeconds(30);
    /** How long {@code multitask=interrupt} waits for the interrupted run to let go of the session. */
    private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(5);

    private final EventLog events;
    private final RunLock locks;
    private final CancelSignal cancels;
    private final RunStore store;
    private final AskExpertSettings.Runs settings;
    private final Clock clock;
    private final Map<String, RunHandle> live = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;

    RunRegistry(EventLog events, RunLock locks, CancelSignal cancels, RunStore store, AskExpertSettings.Runs settings,
                Clock clock, Runnable housekeeping) {
        this.events = events;
        this.locks = locks;
        this.cancels = cancels;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        cancels.listen(this::cancelLocally);
        this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("run-ticker").factory());
        long period = Math.max(50, Math.min(1000, settings.heartbeatInterval().toMillis() / 4));
        ticker.scheduleAtFixedRate(() -> tick(housekeeping), period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a run: takes the session (if any), records the run and appends its {@code run} event.
     *
     * @throws AskExpertException {@code SESSION_BUSY} when the session has an active run
     */
    public RunHandle start(RunStart start) {
        String runId = "run_" + UUID.randomUUID().toString().replace("-", "");
        String sessionId = start.sessionId();
        if (sessionId != null) {
            lockSession(sessionId, runId, start);
        }
        try {
            store.insert(runId, start.tenantId(), sessionId, start.missionId(), start.mode());
            RunHandle handle = new RunHandle(runId, start.tenantId(), sessionId, start.mode(), clock.instant(), events,
                    this::ended, settings.retention());
            live.put(runId, handle);
            handle.emit(new RunEvent.Run(runId, sessionId, start.missionId(), RunEvent.modeName(start.mode())));
            return handle;
        } catch (RuntimeException e) {
            live.remove(runId);
            if (sessionId != null) {
                locks.release(sessionId, runId);
            }
            throw e;
        }
    }

    private void lockSession(String sessionId, String runId, RunStart start) {
        Duration ttl = start.timeout().plus(LOCK_GRACE);
        if (locks.tryAcquire(sessionId, runId, ttl)) {
            return;
        }
        Optional<String> holder = locks.holder(sessionId);
        if (start.interrupt() && holder.isPresent()) {
            signalCancel(holder.get(), "interrupted");
            long deadline = System.nanoTime() + INTERRUPT_WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                if (locks.tryAcquire(sessionId, runId, ttl)) {
                    return;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        } else if (holder.isEmpty() && locks.tryAcquire(sessionId, runId, ttl)) {
            return; // the holder finished between our two looks
        }
        throw new AskExpertException(ErrorCode.SESSION_BUSY, "a run is already active on this session",
                Map.of("session_id", sessionId, "active_run_id", holder.orElse("")));
    }

    /** The run if it exists and belongs to the tenant; another tenant's run is not found. */
    public Optional<RunInfo> find(String tenantId, String runId) {
        return store.find(tenantId, runId);
    }

    /** Events after {@code afterId}, waiting up to {@code wait} for the next one (see {@link EventLog#readAfter}). */
    public List<Sequenced> read(String runId, long afterId, int limit, Duration wait) {
        return events.readAfter(runId, afterId, limit, wait);
    }

    /**
     * Asks the run to stop (api.md {@code POST /runs/{id}/cancel}). Returns the run as it was; a
     * run that already ended is left as it is.
     *
     * @throws AskExpertException {@code RUN_NOT_FOUND} for an unknown run or another tenant's
     */
    public RunInfo cancel(String tenantId, String runId, String reason) {
        RunInfo info = find(tenantId, runId)
                .orElseThrow(() -> AskExpertException.notFound(ErrorCode.RUN_NOT_FOUND, "run", runId));
        if (info.running()) {
            signalCancel(runId, reason);
        }
        return info;
    }

    /** Cancels a run whose client went away; the caller already holds the run's id from starting it. */
    public void cancelAbandoned(String runId) {
        signalCancel(runId, "client_disconnected");
    }

    private void signalCancel(String runId, String reason) {
        if (live.containsKey(runId)) {
            cancelLocally(runId, reason);
        } else {
            cancels.send(runId, reason);
        }
    }

    private void cancelLocally(String runId, String reason) {
        RunHandle handle = live.get(runId);
        if (handle != null) {
            handle.cancel(reason);
        }
    }

    private void ended(RunHandle.Ending ending) {
        RunHandle handle = ending.handle();
        live.remove(handle.runId());
        try {
            store.finish(handle.runId(), ending.status(), ending.terminalId());
        } catch (RuntimeException e) {
            log.warn("Run {} ended ({}) but its row could not be updated: {}", handle.runId(), ending.status(),
                    e.getClass().getSimpleName());
        }
        if (handle.sessionId() != null) {
            locks.release(handle.sessionId(), handle.runId());
        }
    }

    /** Runs live on this instance. */
    public int activeRuns() {
        return live.size();
    }

    private void tick(Runnable housekeeping) {
        long silence = settings.heartbeatInterval().toNanos();
        for (RunHandle handle : live.values()) {
            try {
                handle.heartbeatIfSilent(silence, clock.instant());
            } catch (RuntimeException e) {
                log.debug("Heartbeat for run {} failed: {}", handle.runId(), e.getClass().getSimpleName());
            }
        }
        try {
            housekeeping.run();
        } catch (RuntimeException e) {
            log.debug("Run housekeeping failed: {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
