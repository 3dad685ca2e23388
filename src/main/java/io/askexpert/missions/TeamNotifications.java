package io.askexpert.missions;

import io.askexpert.checkpoints.Checkpoint;
import io.askexpert.checkpoints.CheckpointStore;
import io.askexpert.runs.RunEvent;

/**
 * Mode 4's {@code notification} events (api.md §4): one per checkpoint raised (always: a human is
 * needed), one when the mission completes (when {@code notify_on_completion}), one when it fails.
 * Each is emitted once under its own key ({@code notify/…}, {@link MissionRun#emitOnce}): a replay does
 * not repeat it, and a checkpoint's comes after the suspension, where the next attempt goes on
 * differently, so it cannot be numbered with the executor's other events. The
 * tenant's webhook hears of the same moments from the engine ({@link MissionNotifier}).
 */
final class TeamNotifications {

    private final CheckpointStore checkpoints;

    TeamNotifications(CheckpointStore checkpoints) {
        this.checkpoints = checkpoints;
    }

    /** Announces each pending checkpoint of the mission that was not announced yet. */
    void checkpointsRaised(MissionRun run) {
        for (Checkpoint c : checkpoints.pending(run.mission().id())) {
            send(run, "notify/checkpoint/" + c.id(), "checkpoint_raised", "Decision needed: " + c.title(),
                    c.question() + " (" + c.type() + "; without a decision by " + c.timeoutAt() + " the default, "
                            + c.defaultDecision() + ", applies)");
        }
    }

    void completed(MissionRun run, int members, MissionArtifact report) {
        if (run.mission().options().notifyOnCompletion()) {
            send(run, "notify/completed", "mission_completed", "Mission completed: " + Reporting.title(run.mission()),
                    "The team of " + members + " delivered its report (" + report.title() + "): " + report.downloadUrl());
        }
    }

    void failed(MissionRun run, MissionFailure failure) {
        send(run, "notify/failed", "mission_failed", "Mission failed: " + Reporting.title(run.mission()),
                failure.getMessage() == null ? failure.code().name() : failure.getMessage());
    }

    private void send(MissionRun run, String key, String type, String title, String message) {
        run.emitOnce(key, java.util.List.of(new RunEvent.Notification(type, title, message)));
    }
}
