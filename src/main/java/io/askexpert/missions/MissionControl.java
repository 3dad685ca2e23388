package io.askexpert.missions;

import io.askexpert.checkpoints.Checkpoint;
import io.askexpert.checkpoints.CheckpointStore;
import io.askexpert.checkpoints.CheckpointTimeouts;
import io.askexpert.checkpoints.DecideOutcome;
import io.askexpert.checkpoints.Decision;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.queue.MissionQueue;
import io.askexpert.runs.RunEvent;
import io.askexpert.runs.RunHandle;
import io.askexpert.runs.RunRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every state change asked from outside a worker: start, pause, resume, cancel, a checkpoint's
 * decision or timeout, a reaper's re-queue. Each is a compare-and-set on the mission's version;
 * a lost race re-reads the mission and decides again (the move may have become illegal, or
 * already done). What a move implies follows it: a queued mission is pushed to the queue, a
 * running one is signalled wherever its worker is, and the run of a mission that ends while no
 * worker holds it gets its terminal event here.
 */
final class MissionControl implements CheckpointTimeouts.Expiry {

    private static final Logger log = LoggerFactory.getLogger(MissionControl.class);

    /** A move that happened (or was found already done: {@code before == after}). */
    record Moved(MissionRecord before, MissionRecord after) {
        boolean changed() {
            return before.version() != after.version();
        }
    }

    private final MissionStore store;
    private final CheckpointStore checkpoints;
    private final MissionQueue queue;
    private final RunRegistry runs;
    private final MissionBudgets budgets;
    private final MissionMetrics metrics;
    private final TransactionTemplate tx;
    private final AskExpertSettings settings;
    private final MissionNotifier notifier;

    MissionControl(MissionStore store, CheckpointStore checkpoints, MissionQueue queue, RunRegistry runs,
                   MissionBudgets budgets, MissionMetrics metrics, TransactionTemplate tx, AskExpertSettings settings,
                   MissionNotifier notifier) {
        this.notifier = notifier;
        this.store = store;
        this.checkpoints = checkpoints;
        this.queue = queue;
        this.runs = runs;
        this.budgets = budgets;
        this.metrics = metrics;
        this.tx = tx;
        this.settings = settings;
    }

    /**
     * Compare-and-set until it lands: {@code target} looks at the mission as it is now and names the
     * state to move to, or null when there is nothing to do; it throws when the move is illegal.
     */
    Moved move(UUID id, Function<MissionRecord, @Nullable MissionStatus> target) {
        while (true) {
            MissionRecord now = store.find(id)
                    .orElseThrow(() -> AskExpertException.notFound(ErrorCode.MISSION_NOT_FOUND, "mission", id.toString()));
            MissionStatus to = target.apply(now);
            if (to == null) {
                return new Moved(now, now);
            }
            MissionTransitions.check(now.status(), to);
            if (store.move(id, now.version(), to)) {
                return new Moved(now, store.find(id).orElseThrow());
            }
            // lost a race: someone moved it first; look again
        }
    }

    /** The first stream of a created mission: gives it its run and queues it. Returns the run id. */
    String start(MissionRecord created) {
        Mission m = created.mission();
        while (true) {
            MissionRecord now = store.find(m.id()).orElseThrow();
            if (now.mission().runId() != null) {
                return now.mission().runId();
            }
            MissionTransitions.check(now.status(), MissionStatus.QUEUED);
            String runId = "run_" + UUID.randomUUID().toString().replace("-", "");
            if (store.startRun(m.id(), now.version(), runId)) {
                runs.open(runId, MissionRunner.runStart(m, settings));
                queue.push(m.id());
                return runId;
            }
        }
    }

    void pause(UUID id) {
        Moved moved = move(id, m -> MissionStatus.PAUSED);
        if (moved.before().status() == MissionStatus.RUNNING) {
            signal(moved.after(), "paused");
        }
    }

    void resume(UUID id) {
        Moved moved = move(id, m -> {
            if (m.status() != MissionStatus.PAUSED) {
                throw MissionTransitions.conflict(m.status(), MissionStatus.QUEUED);
            }
            return checkpoints.pending(id).isEmpty() ? MissionStatus.QUEUED : MissionStatus.WAITING_FOR_HUMAN;
        });
        if (moved.after().status() == MissionStatus.QUEUED) {
            queue.push(id);
        }
    }

    /** Cancels; a cancelled mission is answered as it is (idempotent), other terminal ones are 409. */
    Moved cancel(UUID id, String reason) {
        Moved moved = move(id, m -> m.status() == MissionStatus.CANCELLED ? null : MissionStatus.CANCELLED);
        if (!moved.changed()) {
            return moved;
        }
        MissionRecord before = moved.before();
        notifier.ended(moved.after().mission(), MissionStatus.CANCELLED, reason);
        if (before.status() == MissionStatus.RUNNING && !before.leaseExpired(Instant.now())) {
            // Its worker ends the run once its executor has stopped (the in-flight call is aborted).
            signal(moved.after(), "cancelled");
        } else {
            budgets.releaseOpen(id);
            finishRun(moved.after(), new RunEvent.Cancelled(reason, spent(id)));
        }
        return moved;
    }

    /**
     * Decides a checkpoint and, in the same transaction, re-queues its mission when it was waiting
     * for this decision only. The mission's row is locked first, so a worker parking the mission at
     * the same moment either sees the decision or is seen as waiting.
     */
    DecideOutcome decide(Checkpoint checkpoint, Decision decision) {
        record Result(DecideOutcome outcome, boolean requeued) {
        }
        Result r = tx.execute(status -> {
            MissionRecord m = store.lock(checkpoint.missionId()).orElseThrow();
            boolean stillPending = checkpoints.find(checkpoint.id()).map(Checkpoint::pending).orElse(false);
            if (m.status().terminal() && stillPending) {
                throw new AskExpertException(ErrorCode.MISSION_STATE_CONFLICT, "the mission is " + m.status().wireName()
                        + "; its checkpoints can no longer be decided", Map.of("status", m.status().wireName()));
            }
            DecideOutcome outcome = checkpoints.decide(checkpoint.id(), decision);
            boolean requeued = outcome instanceof DecideOutcome.Decided && requeueIfDue(m);
            return new Result(outcome, requeued);
        });
        if (r.outcome() instanceof DecideOutcome.Decided d) {
            metrics.checkpointWaited(d.checkpoint().type(), d.checkpoint().status().wireName(),
                    Duration.between(d.checkpoint().createdAt(), Instant.now()));
        }
        if (r.requeued()) {
            queue.push(checkpoint.missionId());
        }
        return r.outcome();
    }

    @Override
    public boolean expire(Checkpoint due) {
        Boolean requeued = tx.execute(status -> {
            MissionRecord m = store.lock(due.missionId()).orElse(null);
            if (m == null || checkpoints.expire(due.id()).isEmpty()) {
                return null;
            }
            return requeueIfDue(m);
        });
        if (requeued == null) {
            return false;
        }
        metrics.checkpointWaited(due.type(), "expired", Duration.between(due.createdAt(), Instant.now()));
        if (requeued) {
            queue.push(due.missionId());
        }
        return true;
    }

    /** Inside the decision's transaction, with the row locked: waiting with nothing left pending → queued. */
    private boolean requeueIfDue(MissionRecord m) {
        return m.status() == MissionStatus.WAITING_FOR_HUMAN && checkpoints.pending(m.mission().id()).isEmpty()
                && store.move(m.mission().id(), m.version(), MissionStatus.QUEUED);
    }

    /** Puts a mission back in the queue (a reaper found it stranded): a compare-and-set from the state seen. */
    boolean requeue(MissionRecord seen) {
        // A queued mission whose queue entry was lost (a worker killed right after BRPOP handed it the id)
        // is only pushed again: queued -> queued is no transition, and checking it as one threw, which
        // left such a mission queued for ever and ended every sweep that found one.
        if (seen.status() != MissionStatus.QUEUED) {
            MissionTransitions.check(seen.status(), MissionStatus.QUEUED);
            if (!store.move(seen.mission().id(), seen.version(), MissionStatus.QUEUED)) {
                return false;
            }
        }
        queue.push(seen.mission().id());
        return true;
    }

    private void signal(MissionRecord m, String reason) {
        String runId = m.mission().runId();
        if (runId != null) {
            try {
                runs.signal(runId, reason);
            } catch (RuntimeException e) {
                // The worker's next lease renewal finds the mission changed and stops it anyway.
                log.debug("Mission {}: could not signal its worker: {}", m.mission().id(), e.getClass().getSimpleName());
            }
        }
    }

    /** Ends the run of a mission no worker holds (cancelled while it waited, was paused or queued). */
    private void finishRun(MissionRecord m, RunEvent.Terminal terminal) {
        String runId = m.mission().runId();
        if (runId == null) {
            return; // never streamed: there is no run to end
        }
        RunHandle handle = runs.attach(runId, MissionRunner.runStart(m.mission(), settings));
        handle.finish(terminal);
    }

    private BigDecimal spent(UUID id) {
        try {
            return budgets.budget(id).spentUsd();
        } catch (RuntimeException e) {
            return BigDecimal.ZERO;
        }
    }
}
