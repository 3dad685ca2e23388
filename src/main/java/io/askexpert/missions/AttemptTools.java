package io.askexpert.missions;

import io.askexpert.agents.Agent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The tools each expert may use, looked up once per mission attempt: the external ones come from
 * the tenant's MCP declarations (a database read and a session per server), which every step of
 * mode 3 and every sub-task of mode 4 would otherwise read again. The next attempt (a resume after
 * a checkpoint, a takeover) starts with an empty one, so it sees declarations changed since.
 * Mode 4's members work in parallel; two tasks of one member share a single lookup.
 */
final class AttemptTools {

    private final Map<String, MissionTools> byAgent = new ConcurrentHashMap<>();

    /** The tools of {@code agent} for this attempt, from {@code lookup} the first time only. */
    MissionTools of(Agent agent, Supplier<MissionTools> lookup) {
        // A lookup that throws caches nothing: the next step tries again.
        return byAgent.computeIfAbsent(agent.id(), id -> lookup.get());
    }
}
