package io.askexpert.runs;

import io.askexpert.cost.CostLedger;
import io.askexpert.cost.CostRecord;
import io.askexpert.errors.ErrorCode;
import io.askexpert.instances.ServiceInstances;
import io.askexpert.sessions.SessionStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Closes interactive runs whose instance died (a crash, {@code kill -9}): at start-up and then
 * every {@code period}, each such run gets exactly one {@code error} event (appended to its event
 * log when the log still holds the run, and kept in its row either way, so a resuming client
 * sees it), its row is finished, what is known of its LLM call's cost is billed to the ledger and
 * the session, and its session lock is released. Runs of modes 3 and 4 are left alone: they
 * belong to missions, whose lease protocol resumes them on another worker.
 */
final class OrphanedRuns implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OrphanedRuns.class);
    private static final int BATCH = 100;
    private static final int LOG_PAGE = 1000;

    private final RunStore store;
    private final EventLog events;
    private final RunRegistry registry;
    private final ServiceInstances instances;
    private final CostLedger costs;
    private final SessionStore sessions;
    private final TransactionTemplate tx;
    private final Duration retention;
    private final long unownedAfterSeconds;
    private final RunEventJson json = new RunEventJson();
    private final KnownCost.Codec codec = new KnownCost.Codec();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("orphaned-runs").factory());

    OrphanedRuns(RunStore store, EventLog events, RunRegistry registry, ServiceInstances instances, CostLedger costs,
                 SessionStore sessions, TransactionTemplate tx, Duration retention, Duration longestRun, Duration period) {
        this.store = store;
        this.events = events;
        this.registry = registry;
        this.instances = instances;
        this.costs = costs;
        this.sessions = sessions;
        this.tx = tx;
        this.retention = retention;
        this.unownedAfterSeconds = longestRun.toSeconds();
        timer.scheduleWithFixedDelay(this::sweepQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sweepQuietly() {
        try {
            int closed = sweep();
            if (closed > 0) {
                log.info("Closed {} run(s) left running by instances that stopped", closed);
            }
        } catch (RuntimeException e) {
            log.debug("Orphaned run sweep failed: {}", e.getClass().getSimpleName());
        }
    }

    /** Closes every orphaned run found now; returns how many this instance closed. */
    int sweep() {
        int closed = 0;
        List<RunStore.Orphan> found;
        do {
            found = store.orphans(instances, unownedAfterSeconds, BATCH);
            for (RunStore.Orphan orphan : found) {
                if (close(orphan)) {
                    closed++;
                }
            }
        } while (found.size() == BATCH);
        return closed;
    }

    private boolean close(RunStore.Orphan orphan) {
        RunInfo run = orphan.info();
        // The row's last id lags the log by up to one tick: what the log holds beyond it counts.
        long last = run.lastEventId();
        Sequenced terminal = null;
        boolean logHoldsRun = !events.readAfter(run.runId(), 0, 1, Duration.ZERO).isEmpty();
        if (logHoldsRun) {
            for (List<Sequenced> page = events.readAfter(run.runId(), last, LOG_PAGE, Duration.ZERO); !page.isEmpty();
                 page = events.readAfter(run.runId(), last, LOG_PAGE, Duration.ZERO)) {
                for (Sequenced s : page) {
                    last = s.id();
                    if (s.terminal()) {
                        terminal = s;
                    }
                }
            }
        }
        if (terminal != null) {
            // The owner appended its terminal event but died before its row said so: record that one.
            Sequenced found = terminal;
            return store.finish(run.runId(), found.event(), found.id(), found.data());
        }
        RunEvent.Failed failed = new RunEvent.Failed(ErrorCode.INTERNAL_ERROR.name(),
                "the instance running this answer stopped before it finished; ask again", true, null);
        long terminalId = last + 1;
        Boolean won = tx.execute(status -> {
            if (!store.finish(run.runId(), "error", terminalId, json.encode(failed))) {
                return false;
            }
            settle(run, orphan.pendingCost());
            return true;
        });
        if (!Boolean.TRUE.equals(won)) {
            return false;
        }
        if (logHoldsRun) {
            Sequenced appended = events.append(run.runId(), failed);
            events.retain(run.runId(), retention);
            if (appended.id() != terminalId) {
                log.warn("Run {}: the closing error event got id {} in the log, {} in its row", run.runId(),
                        appended.id(), terminalId);
            }
        }
        if (run.sessionId() != null && run.userId() != null) {
            registry.releaseSession(run.tenantId(), run.userId(), run.sessionId(), run.runId());
        }
        return true;
    }

    /** Bills what was known of the interrupted call, as a failed call's partial usage is billed. */
    private void settle(RunInfo run, @Nullable String pendingCost) {
        if (pendingCost == null) {
            return;
        }
        KnownCost known = codec.decode(pendingCost);
        costs.record(new CostRecord(run.tenantId(), run.userId(), run.sessionId(), null, run.runId(), run.missionId(),
                known.model(), known.provider(), CostRecord.Outcome.FAILED, known.usage(), known.costUsd()));
        if (run.sessionId() != null && run.userId() != null && known.costUsd().signum() > 0) {
            sessions.addCost(run.tenantId(), run.userId(), run.sessionId(), known.costUsd());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
