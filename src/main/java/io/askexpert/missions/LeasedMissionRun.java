package io.askexpert.missions;

import io.askexpert.budget.Reservation;
import io.askexpert.budget.ReservationRequest;
import io.askexpert.budget.ReserveOutcome;
import io.askexpert.checkpoints.Checkpoint;
import io.askexpert.checkpoints.CheckpointStore;
import io.askexpert.checkpoints.NewCheckpoint;
import io.askexpert.cost.CostLedger;
import io.askexpert.cost.CostRecord;
import io.askexpert.errors.ErrorCode;
import io.askexpert.llm.Usage;
import io.askexpert.runs.RunEvent;
import io.askexpert.runs.RunHandle;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The {@link MissionRun} a worker hands the executor while it holds the mission's lease.
 * <ul>
 *   <li>{@code once}: the journal row under the key is the call's result; a call is run only when
 *       there is none, and its result is recorded before it is returned.</li>
 *   <li>{@code emit}: events emitted outside a running call are numbered; a replay (after a crash,
 *       pause or decision) re-emits the same ones in the same order, and those the run already holds
 *       (counted in {@code missions.events_emitted}) are dropped. Events emitted inside a call that
 *       runs (its tokens) are always appended, since a recorded call does not run again; a call stopped
 *       halfway appends them again when it runs again, so a recorded value's events are emitted after
 *       its call.</li>
 *   <li>{@code emitOnce}: events whose order is not repeatable (parallel members, notifications), each
 *       batch under a journal mark of its own.</li>
 *   <li>{@code checkpoint}: the checkpoint row under the key; its decision once decided.</li>
 * </ul>
 */
final class LeasedMissionRun implements MissionRun {

    /** The engine's own marks in the journal, apart from the executor's keys. */
    static final String ENGINE = "engine/";

    private final MissionAttempt attempt;
    private final RunHandle handle;
    private final io.askexpert.runs.RunRegistry runs;
    private final MissionJournal journal;
    private final MissionStore store;
    private final CheckpointStore checkpoints;
    private final MissionBudgets budgets;
    private final CostLedger costs;
    private final MissionMetrics metrics;
    private final StepSpans spans;
    private final MissionProgress progress;
    private final boolean hitlStrict;
    private final MissionNotifier notifier;
    private final MissionLeases leases;
    private final long replayed;
    private final AtomicLong counted = new AtomicLong();
    /** What each open reservation is for, so its cost is filed under the tool or the model call. */
    private final java.util.Map<java.util.UUID, String> purposes = new java.util.concurrent.ConcurrentHashMap<>();
    private final ThreadLocal<Integer> callDepth = ThreadLocal.withInitial(() -> 0);

    LeasedMissionRun(MissionAttempt attempt, RunHandle handle, io.askexpert.runs.RunRegistry runs, MissionJournal journal, MissionStore store,
                     CheckpointStore checkpoints, MissionBudgets budgets, CostLedger costs, MissionMetrics metrics,
                     StepSpans spans, boolean hitlStrict, MissionNotifier notifier, MissionLeases leases) {
        this.attempt = attempt;
        this.handle = handle;
        this.runs = runs;
        this.journal = journal;
        this.store = store;
        this.checkpoints = checkpoints;
        this.budgets = budgets;
        this.costs = costs;
        this.metrics = metrics;
        this.spans = spans;
        this.hitlStrict = hitlStrict;
        this.notifier = notifier;
        this.leases = leases;
        this.replayed = store.eventsEmitted(attempt.missionId());
        this.progress = new MissionProgress(store, attempt.missionId());
    }

    @Override
    public Mission mission() {
        return attempt.mission();
    }

    @Override
    public <T> T once(String key, Class<T> type, Callable<T> call) throws Exception {
        Optional<String> recorded = journal.find(mission().id(), key);
        if (recorded.isPresent()) {
            return MissionJson.read(recorded.get(), type);
        }
        fence();
        T result;
        callDepth.set(callDepth.get() + 1);
        // The call's spans made without a trace (the tool registry's tool_execution) nest under the step.
        try (io.opentelemetry.context.Scope step = spans.enter()) {
            result = call.call();
        } finally {
            callDepth.set(callDepth.get() - 1);
        }
        String standing = journal.record(mission().id(), key, kindOf(key, type), MissionJson.write(result));
        return MissionJson.read(standing, type);
    }

    private static String kindOf(String key, Class<?> type) {
        int slash = key.lastIndexOf('/');
        String last = slash < 0 ? key : key.substring(slash + 1);
        int dash = last.indexOf('-');
        String kind = key.contains("/tool/") ? "tool" : dash > 0 ? last.substring(0, dash) : last;
        return kind.length() > 64 ? kind.substring(0, 64) : kind.isEmpty() ? type.getSimpleName() : kind;
    }

    @Override
    public void emit(RunEvent event) {
        if (event instanceof RunEvent.Terminal) {
            throw new IllegalArgumentException("the engine ends the mission's run; the executor returns or throws");
        }
        fence();
        spans.observe(event);
        if (callDepth.get() > 0) {
            handle.emit(event);
            progress.observe(event);
            return;
        }
        long n = counted.incrementAndGet();
        if (n <= replayed) {
            return; // the run holds it from an earlier attempt
        }
        // The log drops it too when an attempt died between sending it and counting it.
        if (handle.emitOnce("mission/" + n, event) != null) {
            progress.observe(event);
        }
        afterSent(() -> store.eventsEmitted(mission().id(), n));
    }

    /**
     * A write that records an event already sent. It must happen also when the attempt is being
     * stopped: the connection pool refuses a thread whose interrupt flag is set, and a count or mark
     * left unwritten makes the next attempt send the event again. The flag is restored after.
     */
    private static void afterSent(Runnable write) {
        boolean interrupted = Thread.interrupted();
        try {
            write.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The journal's mark under {@code engine/events/<key>} says the events were appended; it is written
     * after them, so only a worker dying between the two repeats them (as {@link #emit} would).
     */
    @Override
    public void emitOnce(String key, List<RunEvent> events) {
        if (events.stream().anyMatch(RunEvent.Terminal.class::isInstance)) {
            throw new IllegalArgumentException("the engine ends the mission's run; the executor returns or throws");
        }
        String mark = ENGINE + "events/" + key;
        if (journal.find(mission().id(), mark).isPresent()) {
            events.forEach(spans::observe); // the step's span opens and closes on the replay as on the first attempt
            return;
        }
        fence();
        int i = 0;
        for (RunEvent event : events) {
            spans.observe(event);
            // The log drops what an attempt that died between sending and marking had sent.
            if (handle.emitOnce(mark + "#" + i++, event) != null) {
                progress.observe(event);
            }
        }
        afterSent(() -> journal.mark(mission().id(), mark, "event"));
    }

    @Override
    public Reservation reserve(String key, BigDecimal estimateUsd, String purpose) {
        Mission m = mission();
        if (hitlStrict && passesEightyPercent(estimateUsd)) {
            CheckpointDecision d = checkpoint(ENGINE + "budget-80", budgetRequest(
                    "Spend past 80 % of the budget?", "This call would take the mission past 80 % of its budget of "
                            + m.options().budgetLimitUsd().toPlainString() + " USD."));
            if (!d.approved()) {
                throw new MissionFailure(ErrorCode.BUDGET_EXCEEDED, "a person declined spending past 80 % of the budget");
            }
        }
        String gate = ENGINE + "budget/" + key;
        if (checkpoints.byKey(m.id(), gate).isPresent()) {
            // Asked before this replay: the person's answer stands, even when the call would fit by now
            // (other missions' holds were released meanwhile). Without this a rejection was ignored.
            CheckpointDecision asked = checkpoint(gate, budgetRequest("Raise the budget?", "The next call (" + purpose
                    + ") would pass the budget."));
            if (!asked.approved()) {
                throw new MissionFailure(ErrorCode.BUDGET_EXCEEDED, "the budget is spent and a person declined to raise it");
            }
        }
        for (int round = 0; ; round++) {
            ReserveOutcome outcome = budgets.reserve(new ReservationRequest(m.tenantId(), m.id(), key, estimateUsd, purpose));
            switch (outcome) {
                case ReserveOutcome.Reserved r -> {
                    purposes.put(r.reservation().id(), purpose);
                    if (!purpose.startsWith("tool ")) {
                        spans.generationStarted(r.reservation().id()); // a model call starts right after its reservation
                    }
                    return r.reservation();
                }
                case ReserveOutcome.Refused refused -> {
                    if (!(m.options().wants(CheckpointType.BUDGET) || hitlStrict) || round > 0) {
                        throw new MissionFailure(ErrorCode.BUDGET_EXCEEDED, "the " + scope(refused) + " budget of "
                                + refused.limitUsd().toPlainString() + " USD would be exceeded by " + purpose);
                    }
                    CheckpointDecision d = checkpoint(gate, budgetRequest("Raise the budget?",
                            "The next call (" + purpose + ", about " + estimateUsd.toPlainString() + " USD) would pass the "
                                    + scope(refused) + " budget of " + refused.limitUsd().toPlainString() + " USD."));
                    if (!d.approved()) {
                        throw new MissionFailure(ErrorCode.BUDGET_EXCEEDED, "the " + scope(refused)
                                + " budget is spent and a person declined to raise it");
                    }
                    budgets.raiseLimit(m.id(), budgets.budget(m.id()).limitUsd().add(estimateUsd.multiply(BigDecimal.TEN)));
                }
            }
        }
    }

    private static String scope(ReserveOutcome.Refused refused) {
        return refused.scope().name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    private boolean passesEightyPercent(BigDecimal estimateUsd) {
        var b = budgets.budget(mission().id());
        BigDecimal after = b.spentUsd().add(b.reservedUsd()).add(estimateUsd);
        return after.compareTo(b.limitUsd().multiply(new BigDecimal("0.8"))) > 0;
    }

    private CheckpointRequest budgetRequest(String title, String question) {
        return new CheckpointRequest(CheckpointType.BUDGET, CheckpointRequest.Urgency.HIGH, title, question, Map.of(),
                List.of("approve", "reject"), mission().options().checkpointTimeout());
    }

    @Override
    public void settle(Reservation reservation, BigDecimal actualUsd) {
        file(reservation, actualUsd, null);
    }

    @Override
    public void settle(Reservation reservation, BigDecimal actualUsd, ModelUsage usage) {
        file(reservation, actualUsd, usage);
    }

    @Override
    public void settle(Reservation reservation, DelegatedCost spent) {
        budgets.settle(reservation.id(), spent.costUsd());
        spans.generationEnded(reservation.id(), spent.costUsd(), null);
        Mission m = mission();
        if (journal.mark(m.id(), ENGINE + "cost/" + reservation.id(), "cost", tokensJson(spent.tokens()))) {
            costs.fileUnderMission(m.tenantId(), spent.runId(), m.id().toString());
            metrics.cost(m.mode(), spent.costUsd());
        }
        purposes.remove(reservation.id());
    }

    /**
     * Settles, and files the call once per reservation: a row in the cost ledger (a model call with
     * its model, provider and tokens; a tool call under its name) and, in the journal, the tokens the
     * mission's {@code cost} event sums.
     */
    private void file(Reservation reservation, BigDecimal actualUsd, @Nullable ModelUsage usage) {
        budgets.settle(reservation.id(), actualUsd);
        BigDecimal cost = actualUsd.max(BigDecimal.ZERO);
        spans.generationEnded(reservation.id(), cost, usage);
        Usage tokens = usage == null ? Usage.ZERO : usage.tokens();
        if ((cost.signum() > 0 || tokens.totalTokens() > 0)
                && journal.mark(mission().id(), ENGINE + "cost/" + reservation.id(), "cost", tokensJson(tokens))) {
            Mission m = mission();
            String purpose = purposes.getOrDefault(reservation.id(), "llm");
            boolean tool = usage == null && purpose.startsWith("tool ");
            String model = usage != null ? usage.model() : tool ? purpose.substring(5).strip() : "mission";
            String provider = usage != null ? usage.provider() : tool ? "tool" : "llm";
            costs.record(new CostRecord(m.tenantId(), m.userId(), null, null, m.runId(), m.id().toString(),
                    clip(model, 128), clip(provider, 32), usage == null ? CostRecord.Outcome.COMPLETED : usage.outcome(),
                    tokens, cost));
            metrics.cost(m.mode(), cost);
        }
        purposes.remove(reservation.id());
    }

    private static String tokensJson(Usage u) {
        return "{\"input_tokens\":" + u.inputTokens() + ",\"output_tokens\":" + u.outputTokens()
                + ",\"cache_read_tokens\":" + u.cacheReadTokens() + ",\"cache_write_tokens\":" + u.cacheWriteTokens() + "}";
    }

    private static String clip(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }

    @Override
    public CheckpointDecision checkpoint(String key, CheckpointRequest request) {
        Optional<Checkpoint> existing = checkpoints.byKey(mission().id(), key);
        if (existing.isPresent()) {
            Checkpoint c = existing.get();
            announce(c, key, request, true); // a worker killed between persisting and announcing it left it unannounced
            if (c.pending()) {
                throw new MissionSuspended(MissionSuspended.Reason.WAITING_FOR_HUMAN);
            }
            return new CheckpointDecision(CheckpointDecision.Kind.fromWire(c.decision()), c.comment(), c.option(),
                    c.decidedBy() == null ? "unknown" : c.decidedBy(), c.status() == io.askexpert.checkpoints.CheckpointStatus.EXPIRED);
        }
        fence();
        Checkpoint c = checkpoints.create(new NewCheckpoint(mission().id(), key, request.type().wireName(),
                request.urgency().name().toLowerCase(Locale.ROOT), request.title(), request.question(), request.context(),
                request.options(), request.type().timeoutDefault().wireName(), request.timeout()));
        announce(c, key, request, false);
        throw new MissionSuspended(MissionSuspended.Reason.WAITING_FOR_HUMAN);
    }

    /**
     * The checkpoint event, unless it was announced before (a journal mark written after it). At least
     * once: a crash after the row and before the event would otherwise leave the streams without the
     * question a person must answer. A replay that finds no mark looks for the event in the run's log
     * first (a crash between the event and its mark), so it is not announced twice.
     */
    private void announce(Checkpoint c, String key, CheckpointRequest request, boolean replay) {
        String mark = ENGINE + "checkpoint-event/" + key;
        if (journal.find(mission().id(), mark).isPresent()) {
            return;
        }
        if (replay && inLog(c.id().toString())) {
            journal.mark(mission().id(), mark, "event");
            return;
        }
        fence();
        handle.emit(new RunEvent.Checkpoint(c.id().toString(), c.type(), c.urgency(), c.title(), c.question(),
                nonNull(c.context()), List.copyOf(c.options()), request.timeout().toSeconds()));
        notifier.checkpointRaised(mission(), c.id().toString(), c.title(), c.question());
        journal.mark(mission().id(), mark, "event");
    }

    private boolean inLog(String checkpointId) {
        long after = 0;
        while (true) {
            List<io.askexpert.runs.Sequenced> page = runs.read(handle.runId(), after, 500, Duration.ZERO);
            if (page.isEmpty()) {
                return false;
            }
            for (io.askexpert.runs.Sequenced e : page) {
                if (e.event().equals("checkpoint") && e.data().contains(checkpointId)) {
                    return true;
                }
                after = e.id();
            }
        }
    }

    private static Map<String, Object> nonNull(Map<String, ?> context) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        context.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * Before anything others see: the lease must still be this attempt's. Without it an attempt whose
     * renewals starved on a loaded machine emitted a step's events beside the worker that had taken
     * the mission over (the events appeared twice).
     */
    private void fence() {
        leases.confirm(attempt);
        checkInterrupted();
    }

    @Override
    public void checkInterrupted() {
        if (attempt.timedOut()) {
            throw new MissionFailure(ErrorCode.SERVICE_UNAVAILABLE, "the mission ran longer than its mode allows ("
                    + attempt.timeout().toSeconds() + " s of running time)");
        }
        MissionSuspended.@Nullable Reason reason = attempt.stopReason();
        if (reason != null) {
            throw new MissionSuspended(reason);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new MissionSuspended(MissionSuspended.Reason.LEASE_LOST);
        }
    }

    /** How long this attempt has held the mission, for the final metrics. */
    Duration held() {
        return Duration.ofMillis(attempt.totalRunningMs());
    }
}
