package io.askexpert.missions;

import io.askexpert.budget.Reservation;
import io.askexpert.runs.RunEvent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link MissionRun} in memory for unit tests: results recorded as JSON (so what the executor
 * records must survive the round trip, as in PostgreSQL), checkpoints decided by the test, events in
 * a list. Like the engine, a replay re-emits nothing a recorded call emitted. {@link #stopAt} stops
 * an attempt where the engine's lease fence would (before a call runs or an event goes out), as a
 * lost lease does. Its methods are synchronized: a team's members use it from threads of their own.
 */
final class InMemoryMissionRun implements MissionRun {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    final Map<String, String> journal = new LinkedHashMap<>();
    final List<RunEvent> events = new ArrayList<>();
    final Map<String, CheckpointRequest> pending = new LinkedHashMap<>();
    final Map<String, CheckpointDecision> decisions = new LinkedHashMap<>();
    final List<String> reserved = new ArrayList<>();
    final Map<UUID, BigDecimal> settled = new LinkedHashMap<>();
    private Mission mission;
    private int depth;
    private long counted;
    private long held;
    private final java.util.Set<String> emittedOnce = new java.util.HashSet<>();
    private int fences;
    private int stopAt = -1;

    InMemoryMissionRun(Mission mission) {
        this.mission = mission;
    }

    @Override
    public Mission mission() {
        return mission;
    }

    @Override
    public synchronized <T> T once(String key, Class<T> type, Callable<T> call) throws Exception {
        String recorded = journal.get(key);
        if (recorded == null) {
            fence();
            depth++;
            try {
                recorded = JSON.writeValueAsString(call.call());
            } finally {
                depth--;
            }
            journal.put(key, recorded);
        }
        return JSON.readValue(recorded, type);
    }

    @Override
    public synchronized void emit(RunEvent event) {
        fence();
        // Like the engine: events outside a call are numbered per attempt, and those the run holds are dropped.
        if (depth > 0) {
            events.add(event);
        } else if (++counted > held) {
            held = counted;
            events.add(event);
        }
    }

    @Override
    public synchronized void emitOnce(String key, List<RunEvent> batch) {
        if (!emittedOnce.contains(key)) {
            fence();
            emittedOnce.add(key);
            events.addAll(batch);
        }
    }

    /** The executor is about to run again from the top, as after a takeover or a decision. */
    synchronized InMemoryMissionRun newAttempt() {
        counted = 0;
        fences = 0;
        return this;
    }

    /** This attempt stops (lease lost) at its fence number {@code n} (0: before anything), once. */
    synchronized InMemoryMissionRun stopAt(int n) {
        stopAt = n;
        return this;
    }

    /** How many fences the attempt passed: the places where a stop could land. */
    synchronized int fences() {
        return fences;
    }

    private void fence() {
        if (fences++ == stopAt) {
            stopAt = -1;
            throw new MissionSuspended(MissionSuspended.Reason.LEASE_LOST);
        }
    }

    @Override
    public synchronized Reservation reserve(String key, BigDecimal estimateUsd, String purpose) {
        reserved.add(key);
        return new Reservation(UUID.randomUUID(), mission.id(), estimateUsd);
    }

    @Override
    public synchronized void settle(Reservation reservation, BigDecimal actualUsd) {
        settled.put(reservation.id(), actualUsd);
    }

    /** Delegations settled with what the delegated run spent, by reservation. */
    final Map<UUID, DelegatedCost> delegated = new LinkedHashMap<>();

    @Override
    public synchronized void settle(Reservation reservation, DelegatedCost spent) {
        settled.put(reservation.id(), spent.costUsd());
        delegated.put(reservation.id(), spent);
    }

    @Override
    public synchronized CheckpointDecision checkpoint(String key, CheckpointRequest request) {
        CheckpointDecision d = decisions.get(key);
        if (d != null) {
            pending.remove(key);
            return d;
        }
        pending.put(key, request);
        throw new MissionSuspended(MissionSuspended.Reason.WAITING_FOR_HUMAN);
    }

    synchronized void decide(String key, CheckpointDecision.Kind kind, String comment) {
        decisions.put(key, new CheckpointDecision(kind, comment, null, "reviewer@test", false));
    }

    @Override
    public void checkInterrupted() {
    }

    <E extends RunEvent> List<E> events(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
