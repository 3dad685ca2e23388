package io.askexpert.missions;

import io.askexpert.checkpoints.Checkpoint;
import io.askexpert.checkpoints.CheckpointStore;
import io.askexpert.runs.RunEvent;

/**
 * Mode 4's {@code notification} events (api.md §4): one per checkpoint raised (always: a human is
 * needed), one when the mission completes (when {@code notify_on_completion}), one when it fails.
 * Each is recorded under its own key ({@code notify/…}), so a replay does not repeat it. The
 * tenant's webhook hears of the same moments from the engine ({@link MissionNotifier}).
 */
final class TeamNotifications {

    private final CheckpointStore checkpoints;

    TeamNotifications(CheckpointStore checkpoints) {
        this.checkpoints = checkpoints;
    }

    /** Announces each pending checkpoint of the mission that was not announced yet. */
    void checkpointsRaised(MissionRun run) throws Exception {
        for (Checkpoint c : checkpoints.pending(run.mission().id())) {
            send(run, "notify/checkpoint/" + c.id(), "checkpoint_raised", "Decision needed: " + c.title(),
                    c.question() + " (" + c.type() + "; without a decision by " + c.timeoutAt() + " the default, "
                            + c.defaultDecision() + ", applies)");
        }
    }

    void completed(MissionRun run, int members, MissionArtifact report) throws Exception {
        if (run.mission().options().notifyOnCompletion()) {
            send(run, "notify/completed", "mission_completed", "Mission completed: " + Reporting.title(run.mission()),
                    "The team of " + members + " delivered its report (" + report.title() + "): " + report.downloadUrl());
        }
    }

    void failed(MissionRun run, MissionFailure failure) throws Exception {
        send(run, "notify/failed", "mission_failed", "Mission failed: " + Reporting.title(run.mission()),
                failure.getMessage() == null ? failure.code().name() : failure.getMessage());
    }

    private void send(MissionRun run, String key, String type, String title, String message) throws Exception {
        run.once(key, Boolean.class, () -> {
            run.emit(new RunEvent.Notification(type, title, message));
            return Boolean.TRUE;
        });
    }
}
