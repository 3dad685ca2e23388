package io.askexpert.runs;

import io.askexpert.auth.TenantContext;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.instances.ServiceInstances;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Starts, cancels and finds runs. Every stream is a run: an id, a row in {@code runs}, and its
 * events in the {@link EventLog}. Starting a run on a session takes the session's lock
 * ({@code 409 SESSION_BUSY} when another run holds it, or cancels that run first with
 * {@code multitask=interrupt}); ending it releases the lock. Cancels reach the owning instance
 * wherever they are asked for. A ticker appends a {@code heartbeat} to any run silent for the
 * configured interval and records each live run's progress (last event id, cost so far) in its
 * row, so that {@link OrphanedRuns} can close it properly if this instance dies.
 *
 * <p>A run belongs to its user: another user's run, like another tenant's, is not found. A run
 * of a mission is visible to whoever may see the mission (its creator and the tenant's admins);
 * interactive runs (modes 1 and 2) only to their user, as their sessions are.
 */
public final class RunRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RunRegistry.class);

    private final EventLog events;
    private final SessionLocks sessions;
    private final CancelSignal cancels;
    private final RunStore store;
    private final ServiceInstances instance;
    private final AskExpertSettings.Runs settings;
    private final KnownCost.Codec costs = new KnownCost.Codec();
    private final RunEventJson json = new RunEventJson();
    /** Ends whose row could not be written (the database was down), retried by the ticker. */
    private final Map<String, RunHandle.Ending> unrecorded = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Map<String, RunHandle> live = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;

    RunRegistry(EventLog events, RunLock locks, CancelSignal cancels, RunStore store, ServiceInstances instance,
                AskExpertSettings.Runs settings, Clock clock, Runnable housekeeping) {
        this.events = events;
        this.sessions = new SessionLocks(locks, this::signalCancel);
        this.cancels = cancels;
        this.store = store;
        this.instance = instance;
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
        admit();
        String runId = "run_" + UUID.randomUUID().toString().replace("-", "");
        String sessionId = start.sessionId();
        String lockKey = sessionId == null ? null : SessionLocks.lockKey(start.tenantId(), start.userId(), sessionId);
        if (lockKey != null) {
            sessions.lock(lockKey, sessionId, runId, start);
        }
        try {
            store.insert(runId, start, instance.id());
            RunHandle handle = new RunHandle(runId, start, clock.instant(), events, this::ended, settings.retention());
            live.put(runId, handle);
            handle.emit(new RunEvent.Run(runId, sessionId, start.missionId(), start.mode().wireName()));
            return handle;
        } catch (RuntimeException e) {
            live.remove(runId);
            if (lockKey != null) {
                sessions.unlock(lockKey, runId);
            }
            throw e;
        }
    }

    /**
     * Starts a run whose row the caller writes behind it, off the path to its first event: the
     * session lock is taken now and the {@code run} event emitted, but every event is held in the
     * handle until {@link #recorded} (after the caller committed {@link #record}); {@link #abandon}
     * when the row could not be written. So a client never sees a run the database does not know,
     * and a crash before the commit leaves neither a row nor an event.
     *
     * @throws AskExpertException {@code SESSION_BUSY} when the session has an active run,
     *                            {@code SERVICE_UNAVAILABLE} when this instance holds its limit of live runs
     */
    public RunHandle startBehind(RunStart start) {
        admit();
        String runId = "run_" + UUID.randomUUID().toString().replace("-", "");
        String sessionId = start.sessionId();
        if (sessionId != null) {
            sessions.lock(SessionLocks.lockKey(start.tenantId(), start.userId(), sessionId), sessionId, runId, start);
        }
        RunHandle handle = new RunHandle(runId, start, clock.instant(), events, this::ended, settings.retention());
        handle.hold();
        live.put(runId, handle);
        handle.emit(new RunEvent.Run(runId, sessionId, start.missionId(), start.mode().wireName()));
        return handle;
    }

    /** Writes the row of a run from {@link #startBehind}; call it inside the transaction that also writes its session. */
    public void record(RunHandle handle, RunStart start) {
        store.insert(handle.runId(), start, instance.id());
    }

    /** The row of a run from {@link #startBehind} is committed: its held events go to the log. */
    public void recorded(RunHandle handle) {
        handle.release();
    }

    /** The row of a run from {@link #startBehind} could not be written: the run is dropped without a trace. */
    public void abandon(RunHandle handle) {
        live.remove(handle.runId(), handle);
        handle.abandon();
        if (handle.sessionId() != null) {
            releaseSession(handle.tenantId(), handle.userId(), handle.sessionId(), handle.runId());
        }
    }

    /**
     * Overload is answered before any work starts, with a 503 the client may retry, rather than
     * by streams that starve each other (or the database pool) later.
     */
    private void admit() {
        int limit = settings.maxLive();
        if (live.size() >= limit) {
            throw new AskExpertException(ErrorCode.SERVICE_UNAVAILABLE, "this instance is running its limit of "
                    + limit + " live runs; retry shortly", Map.of("max_live_runs", limit, "retry_after_s", 1));
        }
    }

    /**
     * Opens the run of a mission under an id chosen by the caller (so the mission can claim it by
     * compare-and-set first) or continues it: the first call records the run and appends its
     * {@code run} event; later calls, on any instance (a worker that took the mission over), only
     * return a handle that appends after the events already in the log, ids continuing. The
     * handle is live here (heartbeats, cancels) until {@link #detach} or its {@code finish}.
     */
    public RunHandle attach(String runId, RunStart start) {
        if (start.missionId() == null || start.sessionId() != null) {
            throw new IllegalArgumentException("only a mission's run (no session lock) is attached by id");
        }
        RunHandle existing = live.get(runId);
        if (existing != null && !existing.finished()) {
            return existing;
        }
        boolean first = store.insertIfAbsent(runId, start, instance.id());
        RunHandle handle = new RunHandle(runId, start, clock.instant(), events, this::ended, settings.retention());
        handle.continueAfter(events);
        live.put(runId, handle);
        if (first || handle.lastEventId() == 0) {
            handle.emit(new RunEvent.Run(runId, start.missionId(), start.missionId(), start.mode().wireName()));
        }
        return handle;
    }

    /**
     * Records a mission's run without running it here (the API instance that queued the mission):
     * the {@code run} event is appended once, whoever opens the run first.
     */
    public void open(String runId, RunStart start) {
        detach(attach(runId, start));
    }

    /** Stops producing a run here without ending it: its mission waits, or another worker continues it. */
    public void detach(RunHandle handle) {
        live.remove(handle.runId(), handle);
    }

    /**
     * Keeps a run's events for the live retention from now: a mission's run stays replayable while
     * the mission lives, however long it waits for a human.
     */
    public void keepAlive(String runId) {
        events.retain(runId, settings.liveRetention());
    }

    /**
     * Appends a {@code heartbeat} to a run that no instance is producing right now (a mission that
     * waits): a reader that saw nothing for the heartbeat interval asks for one, and every reader of
     * the run gets it with its id, on every instance.
     */
    public void heartbeat(String runId) {
        if (!live.containsKey(runId)) {
            events.append(runId, new RunEvent.Heartbeat(clock.instant().toString()));
        }
    }

    /** Asks the instance producing the run, wherever it is, to stop it (its cancel hooks run there). */
    public void signal(String runId, String reason) {
        signalCancel(runId, reason);
    }

    /**
     * The run if the caller may see it: their own, or a mission's run when they are an admin of
     * its tenant. Another user's or another tenant's run is not found.
     */
    public Optional<RunInfo> find(TenantContext caller, String runId) {
        return store.find(caller.tenantId(), runId).filter(run -> visibleTo(run, caller));
    }

    static boolean visibleTo(RunInfo run, TenantContext caller) {
        return caller.userId().equals(run.userId()) || (run.missionId() != null && caller.admin());
    }

    /** The run as recorded now, for the stream of a run its caller was already allowed to see. */
    public Optional<RunInfo> recorded(String tenantId, String runId) {
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
     * @throws AskExpertException {@code RUN_NOT_FOUND} for an unknown run, another user's or another tenant's
     */
    public RunInfo cancel(TenantContext caller, String runId, String reason) {
        RunInfo info = find(caller, runId)
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

    /**
     * Closes the run's row with {@code terminal} inside the caller's open transaction, so the
     * outcome commits, or not, with what the caller writes beside it (an answer's message and
     * cost): no crash can leave a stored answer on a run that is still {@code running}, which the
     * reaper would close as failed and bill a second time. After the commit, {@link RunHandle#finish}
     * with the same event appends it under the id recorded here and frees the session, without
     * writing the row again; a rollback leaves the run open. Returns false when the row was
     * already closed (a reaper took this instance for dead): the caller should roll back.
     */
    public boolean closeWith(RunHandle handle, RunEvent.Terminal terminal) {
        long terminalId = handle.closeWith(terminal);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                // Unknown (the commit's reply was lost) keeps the id: the caller's next attempt finds out.
                if (status == STATUS_ROLLED_BACK) {
                    handle.keepOpen();
                }
            }
        });
        return store.finish(handle.runId(), RunHandle.status(terminal), terminalId, json.encode(terminal));
    }

    /**
     * An earlier transaction of the caller's closed the row with {@code terminal} and committed, but
     * its reply was lost: {@link RunHandle#finish} then appends the event without writing the row.
     */
    public void closedWith(RunHandle handle, RunEvent.Terminal terminal) {
        handle.closeWith(terminal);
    }

    private boolean ended(RunHandle.Ending ending) {
        RunHandle handle = ending.handle();
        live.remove(handle.runId());
        boolean ours = true;
        try {
            ours = ending.recorded() || record(ending);
        } catch (RuntimeException e) {
            log.warn("Run {} ended ({}) but its row could not be updated yet: {}", handle.runId(), ending.status(),
                    e.getClass().getSimpleName());
            unrecorded.put(handle.runId(), ending);
        }
        if (!ours) {
            log.warn("Run {} was closed by another instance while this one still ran it; its {} is dropped",
                    handle.runId(), ending.status());
        }
        if (handle.sessionId() != null) {
            releaseSession(handle.tenantId(), handle.userId(), handle.sessionId(), handle.runId());
        }
        return ours;
    }

    private boolean record(RunHandle.Ending ending) {
        return store.finish(ending.handle().runId(), ending.status(), ending.terminalId(), json.encode(ending.terminal()));
    }

    void releaseSession(String tenantId, String userId, String sessionId, String runId) {
        sessions.release(tenantId, userId, sessionId, runId);
    }

    /** Runs live on this instance. */
    public int activeRuns() {
        return live.size();
    }

    private void tick(Runnable housekeeping) {
        long silence = settings.heartbeatInterval().toNanos();
        List<RunStore.Progress> progress = new ArrayList<>();
        for (RunHandle handle : live.values()) {
            try {
                handle.heartbeatIfSilent(silence, clock.instant());
            } catch (RuntimeException e) {
                log.debug("Heartbeat for run {} failed: {}", handle.runId(), e.getClass().getSimpleName());
            }
            RunStore.Progress p = handle.progress(costs);
            if (p != null) {
                progress.add(p);
            }
        }
        try {
            store.progress(progress);
            unrecorded.values().removeIf(ending -> {
                record(ending);
                return true;
            });
        } catch (RuntimeException e) {
            log.debug("Recording run progress failed: {}", e.getClass().getSimpleName());
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
