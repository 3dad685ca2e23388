package io.askexpert.missions;

import io.askexpert.budget.Reservation;
import io.askexpert.runs.RunEvent;
import java.math.BigDecimal;
import java.util.concurrent.Callable;

/**
 * What a mission's executor may do while a worker runs it. Every method is safe to replay: after
 * a crash, a pause or a human's decision the executor runs again from the top of the current step
 * and each {@link #once} whose key completed before returns its recorded result without running.
 * Keys are deterministic (for example {@code "step-2/llm-1"}, {@code "step-2/tool/toolu_01"}).
 */
interface MissionRun {

    Mission mission();

    /**
     * Runs {@code call} at most once to completion per key for the life of the mission: returns the
     * recorded result when the key completed before; otherwise runs it, records the result (as JSON,
     * read back as {@code type}) in PostgreSQL, and returns it. A call that fails records nothing.
     */
    <T> T once(String key, Class<T> type, Callable<T> call) throws Exception;

    /**
     * Appends an event to the mission's run (its SSE stream). Outside a running {@link #once} call the
     * events are numbered per attempt and a replay, which emits the same ones in the same order, drops
     * those the run already holds: so a recorded value's events belong after its call, not inside it.
     * Inside a call they are always appended (a call stopped halfway emits them again when it runs again).
     */
    void emit(RunEvent event);

    /**
     * Appends {@code events} unless they were appended under {@code key} before, for the life of the
     * mission and from any thread: for events whose place in the run is not the same on every attempt
     * (a team's members working in parallel, a notification after a checkpoint where the next attempt
     * goes on differently), which the numbering of {@link #emit} cannot recognise. A stop of the attempt
     * does not fall between them.
     */
    void emitOnce(String key, java.util.List<RunEvent> events);

    /**
     * Reserves {@code estimateUsd} against the mission's and tenant's budgets under {@code key}
     * (the same key after a takeover gets the same reservation). When the budget would be passed it
     * raises a {@code budget} checkpoint (throwing {@link MissionSuspended}) or fails the mission with
     * {@code BUDGET_EXCEEDED}.
     */
    Reservation reserve(String key, BigDecimal estimateUsd, String purpose);

    /** Settles a reservation with the call's real cost and records the cost in the ledger (a tool call: no tokens). */
    void settle(Reservation reservation, BigDecimal actualUsd);

    /**
     * Settles a model call's reservation: its cost, and the tokens the provider reported, which the
     * cost ledger's row and the mission's {@code cost} event carry.
     */
    default void settle(Reservation reservation, BigDecimal actualUsd, ModelUsage usage) {
        settle(reservation, actualUsd);
    }

    /**
     * Settles a delegation's reservation with what the delegated expert's run spent: the budget takes
     * that cost, its cost row (written by that run) is filed under the mission rather than written a
     * second time, and its tokens join the mission's {@code cost} event.
     */
    default void settle(Reservation reservation, DelegatedCost spent) {
        settle(reservation, spent.costUsd());
    }

    /**
     * Asks a human. Returns the decision when the checkpoint under this key was decided (or expired)
     * before; the first time, persists it, emits the {@code checkpoint} event and throws
     * {@link MissionSuspended} so that the mission waits holding no worker.
     */
    CheckpointDecision checkpoint(String key, CheckpointRequest request);

    /** Throws {@link MissionSuspended} when the mission was paused or cancelled, or its lease was lost. */
    void checkInterrupted();
}
