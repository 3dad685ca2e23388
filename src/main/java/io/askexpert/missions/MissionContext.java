package io.askexpert.missions;

import io.askexpert.agents.Agent;
import io.askexpert.runs.RunEvent;
import java.util.Objects;

/**
 * One execution of a mission (one call of the executor, one attempt): the run, the leading expert,
 * whether it runs without a model, the mission's source numbering rebuilt as recorded results
 * replay, and the tools each expert may use, looked up once in the attempt.
 */
record MissionContext(MissionRun run, Mission mission, Agent lead, boolean offline, SourceBook sources,
                      AttemptTools tools) {

    MissionContext {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(lead, "lead");
        Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(tools, "tools");
    }

    /** A new attempt's context: nothing looked up yet. */
    MissionContext(MissionRun run, Mission mission, Agent lead, boolean offline, SourceBook sources) {
        this(run, mission, lead, offline, sources, new AttemptTools());
    }

    String missionId() {
        return mission.id().toString();
    }

    /** A {@code reasoning} event in the lead expert's name. */
    RunEvent.Reasoning reasoning(String step, String content, String status, long durationMs) {
        return new RunEvent.Reasoning(step, lead.name(), lead.id(), lead.level().number(), content, status, durationMs);
    }

    /** The idempotency key of a recorded call: stable across retries and takeovers. */
    String idempotencyKey(String key) {
        return missionId() + ":" + key;
    }
}
