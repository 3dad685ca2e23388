package io.askexpert.missions;

import io.askexpert.checkpoints.CheckpointStore;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.cost.CostLedger;
import io.askexpert.errors.ErrorCode;
import io.askexpert.observability.Tracing;
import io.askexpert.queue.MissionQueue;
import io.askexpert.runs.RunEvent;
import io.askexpert.runs.RunHandle;
import io.askexpert.runs.RunRegistry;
import io.askexpert.runs.RunStart;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one attempt of a mission a worker has taken: continues its run (events keep their ids),
 * calls the executor on this thread under the lease, and afterwards moves the mission according to
 * how the executor ended, but only if the lease is still this worker's (a compare-and-set on the
 * version it took). When the mission was changed meanwhile (paused, cancelled, taken over), the
 * mission's row decides what happens, never this worker's view of it.
 */
final class MissionRunner {

    private static final Logger log = LoggerFactory.getLogger(MissionRunner.class);

    /** How the executor ended, as the engine sees it. */
    sealed interface Outcome {
        record Completed() implements Outcome {
        }

        record Suspended(MissionSuspended.Reason reason) implements Outcome {
        }

        record Failed(ErrorCode code, String message) implements Outcome {
        }
    }

    private final MissionStore store;
    private final MissionJournal journal;
    private final CheckpointStore checkpoints;
    private final MissionArtifacts artifacts;
    private final MissionBudgets budgets;
    private final CostLedger costs;
    private final MissionMetrics metrics;
    private final RunRegistry runs;
    private final Tracing tracing;
    private final MissionQueue queue;
    private final MissionLeases leases;
    private final Supplier<@Nullable MissionExecutor> executor;
    private final AskExpertSettings settings;
    private final MissionNotifier notifier;
    private final CompletionEvents completion;

    MissionRunner(MissionStore store, MissionJournal journal, CheckpointStore checkpoints, MissionArtifacts artifacts,
                  MissionBudgets budgets, CostLedger costs, MissionMetrics metrics, RunRegistry runs, Tracing tracing,
                  MissionQueue queue, MissionLeases leases, Supplier<@Nullable MissionExecutor> executor,
                  AskExpertSettings settings, MissionNotifier notifier) {
        this.notifier = notifier;
        this.store = store;
        this.journal = journal;
        this.checkpoints = checkpoints;
        this.artifacts = artifacts;
        this.budgets = budgets;
        this.costs = costs;
        this.metrics = metrics;
        this.runs = runs;
        this.tracing = tracing;
        this.queue = queue;
        this.leases = leases;
        this.executor = executor;
        this.settings = settings;
        this.completion = new CompletionEvents(journal, artifacts, budgets);
    }

    static RunStart runStart(Mission m, AskExpertSettings settings) {
        return new RunStart(m.tenantId(), m.userId(), io.askexpert.config.Mode.of(m.mode().number()), null, m.id().toString(), false,
                settings.modes().timeout(io.askexpert.config.Mode.of(m.mode().number())));
    }

    /** Runs the attempt to its end on the calling thread. */
    void run(MissionRecord taken, String owner, long claimedAtNanos) {
        Mission m = taken.mission();
        MissionAttempt attempt = new MissionAttempt(taken, owner,
                settings.modes().timeout(io.askexpert.config.Mode.of(m.mode().number())), claimedAtNanos);
        if (m.runId() == null) {
            // Queued missions always have a run (the stream that queued it opened one); a row edited by hand may not.
            store.fail(m.id(), taken.version(), ErrorCode.INTERNAL_ERROR.name(), "the mission has no run to report to", 0);
            return;
        }
        RunHandle handle = runs.attach(m.runId(), runStart(m, settings));
        attempt.runOn(Thread.currentThread());
        handle.onCancel(() -> attempt.stop(reasonOf(handle.cancelReason())));
        leases.hold(attempt);
        metrics.started();
        Outcome outcome;
        try (StepSpans spans = new StepSpans(tracing.start("mode" + m.mode().number(), m.id().toString(), m.userId(),
                "mission-" + m.id()), metrics, m.mode())) {
            // Emitted before its mark, so a worker killed in between leaves it to the next attempt (at least once).
            if (journal.find(m.id(), LeasedMissionRun.ENGINE + "mission_started").isEmpty()) {
                handle.emit(new RunEvent.MissionStarted(m.id().toString(), MissionStatus.RUNNING.wireName()));
                journal.mark(m.id(), LeasedMissionRun.ENGINE + "mission_started", "event");
            }
            outcome = execute(attempt, new LeasedMissionRun(attempt, handle, runs, journal, store, checkpoints, budgets,
                    costs, metrics, spans, settings.features().hitlStrict(), notifier, leases));
        } finally {
            leases.release(attempt);
            attempt.runOn(null);
            metrics.ended();
            Thread.interrupted(); // a stop that came late must not disturb what follows
        }
        settle(attempt, handle, outcome);
    }

    private static MissionSuspended.Reason reasonOf(@Nullable String reason) {
        return "paused".equals(reason) ? MissionSuspended.Reason.PAUSED
                : "lease_lost".equals(reason) ? MissionSuspended.Reason.LEASE_LOST : MissionSuspended.Reason.CANCELLED;
    }

    private Outcome execute(MissionAttempt attempt, LeasedMissionRun run) {
        MissionExecutor ex = executor.get();
        if (ex == null) {
            return new Outcome.Failed(ErrorCode.SERVICE_UNAVAILABLE, "no mission executor is configured");
        }
        if (attempt.overTime()) {
            attempt.timeOut(); // it used up its running time before: fail it instead of starting again
        }
        try {
            run.checkInterrupted();
            ex.execute(run);
            return attempt.timedOut() ? timedOut(attempt) : new Outcome.Completed();
        } catch (MissionSuspended s) {
            return attempt.timedOut() ? timedOut(attempt) : new Outcome.Suspended(s.reason());
        } catch (MissionFailure f) {
            return new Outcome.Failed(f.code(), f.getMessage());
        } catch (InterruptedException e) {
            return stopped(attempt);
        } catch (Exception e) {
            if (attempt.stopReason() != null) {
                return stopped(attempt); // the interrupt surfaced as some I/O failure of the call it aborted
            }
            log.warn("Mission {}: the executor failed unexpectedly", attempt.missionId(), e);
            return new Outcome.Failed(ErrorCode.INTERNAL_ERROR, "a step failed unexpectedly; the mission cannot go on");
        }
    }

    private static Outcome stopped(MissionAttempt attempt) {
        if (attempt.timedOut()) {
            return timedOut(attempt);
        }
        MissionSuspended.@Nullable Reason r = attempt.stopReason();
        return new Outcome.Suspended(r == null ? MissionSuspended.Reason.LEASE_LOST : r);
    }

    private static Outcome timedOut(MissionAttempt attempt) {
        return new Outcome.Failed(ErrorCode.SERVICE_UNAVAILABLE, "the mission ran longer than its mode allows ("
                + attempt.timeout().toSeconds() + " s of running time, not counting time waiting for a person)");
    }

    /** Moves the mission after the attempt, while the lease is still ours; otherwise follows its row. */
    private void settle(MissionAttempt attempt, RunHandle handle, Outcome outcome) {
        Mission m = attempt.mission();
        long ms = attempt.takeRunningMs();
        boolean moved = switch (outcome) {
            case Outcome.Completed c -> store.release(m.id(), attempt.owner(), attempt.version(), MissionStatus.COMPLETED,
                    ms, null, null);
            case Outcome.Failed f -> store.release(m.id(), attempt.owner(), attempt.version(), MissionStatus.FAILED, ms,
                    f.code().name(), f.message());
            case Outcome.Suspended s -> store.release(m.id(), attempt.owner(), attempt.version(), parkedAs(s.reason()),
                    ms, null, null);
        };
        if (!moved) {
            followRow(m, handle);
            return;
        }
        switch (outcome) {
            case Outcome.Completed c -> complete(m, handle);
            case Outcome.Failed f -> {
                budgets.releaseOpen(m.id());
                handle.finish(new RunEvent.Failed(f.code().name(), f.message(), false, null));
                notifier.ended(m, MissionStatus.FAILED, f.message());
            }
            case Outcome.Suspended s -> {
                switch (parkedAs(s.reason())) {
                    case CANCELLED -> {
                        budgets.releaseOpen(m.id());
                        handle.finish(new RunEvent.Cancelled(handle.cancelReason() == null ? "cancelled"
                                : handle.cancelReason(), completion.spent(m)));
                        notifier.ended(m, MissionStatus.CANCELLED, "The mission's run was cancelled");
                    }
                    case WAITING_FOR_HUMAN -> {
                        runs.detach(handle);
                        requeueIfDecided(m.id());
                    }
                    default -> {
                        runs.detach(handle);
                        queue.push(m.id()); // stopped while still ours (shutdown, lost database): let a worker continue
                    }
                }
            }
        }
    }

    /**
     * Where a stopped attempt leaves a mission that is still its own. A cancel that did not come
     * through the mission (the runs API's {@code POST /runs/{id}/cancel} on its run) cancels the
     * mission; pauses and cancels through the mission change its row first and never get here.
     */
    private static MissionStatus parkedAs(MissionSuspended.Reason reason) {
        return switch (reason) {
            case WAITING_FOR_HUMAN -> MissionStatus.WAITING_FOR_HUMAN;
            case CANCELLED -> MissionStatus.CANCELLED;
            case PAUSED, LEASE_LOST -> MissionStatus.QUEUED;
        };
    }

    /** The mission changed under the attempt; the row says what it is now. */
    private void followRow(Mission m, RunHandle handle) {
        Optional<MissionRecord> now = store.find(m.id());
        MissionStatus status = now.map(MissionRecord::status).orElse(MissionStatus.CANCELLED);
        switch (status) {
            case CANCELLED -> {
                budgets.releaseOpen(m.id());
                handle.finish(new RunEvent.Cancelled(now.map(r -> "cancelled").orElse("deleted"), completion.spent(m)));
            }
            case FAILED -> handle.finish(new RunEvent.Failed(now.get().errorCode() == null ? ErrorCode.INTERNAL_ERROR.name()
                    : now.get().errorCode(), now.get().errorMessage() == null ? "the mission failed"
                    : now.get().errorMessage(), false, null));
            default -> runs.detach(handle); // paused, re-queued or taken over: its next attempt continues the run
        }
    }

    /**
     * A checkpoint decided between the executor asking it and the mission parking has no one left
     * to re-queue the mission: the decision saw it running. Re-queue it here, by compare-and-set.
     */
    private void requeueIfDecided(java.util.UUID missionId) {
        if (!checkpoints.pending(missionId).isEmpty()) {
            return;
        }
        store.find(missionId).filter(r -> r.status() == MissionStatus.WAITING_FOR_HUMAN)
                .filter(r -> store.move(missionId, r.version(), MissionStatus.QUEUED))
                .ifPresent(r -> queue.push(missionId));
    }

    private void complete(Mission m, RunHandle handle) {
        long duration = store.find(m.id()).map(MissionRecord::runningMs).orElse(0L);
        int count = completion.emit(m, duration, handle);
        budgets.releaseOpen(m.id());
        store.progress(m.id(), 100);
        handle.finish(new RunEvent.Done(true, m.id().toString(), null, handle.runId(), duration, 0, completion.spent(m), null,
                m.id().toString()));
        notifier.ended(m, MissionStatus.COMPLETED, "The mission finished with " + count
                + (count == 1 ? " artifact" : " artifacts"));
    }
}
