package io.askexpert.missions;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.errors.ErrorCode;
import io.askexpert.runs.RunEvent;
import io.askexpert.runs.RunHandle;
import io.askexpert.runs.RunRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One periodic duty: a mission that ended keeps nothing open once its worker is gone. When it ended
 * while its run stayed open (its worker, or the instance that cancelled it, died between the writes),
 * its run gets its one terminal event here, from its row: {@code done}, {@code error} with its code and
 * message, or {@code cancelled}; and the budget reservations it still holds are released, so neither the
 * mission nor its tenant's month keeps that money reserved. Closing a run and releasing a reservation
 * are each a compare-and-set on its row, so each happens once whoever gets there first; an ended
 * mission never moves again, and a late worker settling a released reservation is still charged.
 */
final class UnendedRuns implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UnendedRuns.class);
    private static final int BATCH = 50;
    private static final Duration MIN_GRACE = Duration.ofSeconds(30);

    private final MissionStore store;
    private final MissionBudgets budgets;
    private final RunRegistry runs;
    private final AskExpertSettings settings;
    private final Duration grace;
    private final CompletionEvents completion;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("unended-runs").factory());

    UnendedRuns(MissionStore store, MissionBudgets budgets, RunRegistry runs, AskExpertSettings settings,
                MissionSettings missions, CompletionEvents completion) {
        this.store = store;
        this.budgets = budgets;
        this.completion = completion;
        this.runs = runs;
        this.settings = settings;
        // The mission's own worker ends its run moments after the row (cost, mission_completed, done);
        // on a loaded machine with a 2 s lease, "two leases" closed runs whose worker was still writing
        // them, which lost their mission_completed. Only a run left open this long is orphaned.
        this.grace = max(missions.leaseTtl().multipliedBy(2), MIN_GRACE);
        long period = Math.max(1000, missions.sweepInterval().toMillis() * 5);
        timer.scheduleWithFixedDelay(this::closeQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private void closeQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.debug("Closing unended mission runs failed: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * One look at the missions that ended more than the grace ago: releases what they still hold, then
     * closes their runs; returns how many runs it closed.
     */
    int sweep() {
        releaseHolds(store.endedHoldingBudget(grace, BATCH));
        return closeRuns(store.endedWithOpenRun(grace, BATCH));
    }

    /** Releases every reservation the ended missions still hold; returns how many. */
    int releaseHolds(List<UUID> ended) {
        int released = 0;
        for (UUID id : ended) {
            // Here, not in the end paths: they release while their worker lives; only a sweep outlives one that died.
            int n = budgets.releaseOpen(id);
            if (n > 0) {
                log.info("Mission {} had ended holding {} budget reservation(s); released", id, n);
                released += n;
            }
        }
        return released;
    }

    int closeRuns(List<MissionRecord> ended) {
        int closed = 0;
        for (MissionRecord r : ended) {
            Mission m = r.mission();
            if (m.runId() == null) {
                continue;
            }
            // The same terminal event as the worker's own (MissionRunner), cost included.
            RunEvent.Terminal terminal = switch (m.status()) {
                case COMPLETED -> new RunEvent.Done(true, m.id().toString(), null, m.runId(), r.runningMs(), 0,
                        completion.spent(m), null, m.id().toString());
                case FAILED -> new RunEvent.Failed(r.errorCode() == null ? ErrorCode.INTERNAL_ERROR.name() : r.errorCode(),
                        r.errorMessage() == null ? "the mission failed" : r.errorMessage(), false, null);
                default -> new RunEvent.Cancelled("cancelled", completion.spent(m));
            };
            RunHandle handle = runs.attach(m.runId(), MissionRunner.runStart(m, settings));
            if (m.status() == MissionStatus.COMPLETED) {
                completion.emit(m, r.runningMs(), handle); // those its worker did not send before it died
            }
            if (handle.finish(terminal)) {
                log.info("Mission {} had ended with its run open; the run is closed", m.id());
                closed++;
            }
        }
        return closed;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
