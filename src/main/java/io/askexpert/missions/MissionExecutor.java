package io.askexpert.missions;

/**
 * Runs (or continues) a mission to its end: plan, steps, report. Returns normally when the mission
 * is complete (the report artifact is recorded); throws {@link MissionSuspended} to park it; throws
 * {@link MissionFailure} (code and message; the mission fails with it) when a step cannot be done.
 * Called again after every resume, it replays recorded work through {@link MissionRun#once}.
 */
interface MissionExecutor {

    void execute(MissionRun run) throws Exception;
}
