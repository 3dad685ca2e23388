package io.askexpert.missions;

import java.util.UUID;

/**
 * Stores a mission's artifact and returns what its {@code artifact} event shows. The executor calls
 * it inside {@code run.once(key, …)}, so a replay does not store it twice; and it passes that call's
 * key, so a worker that dies after the save but before the call's record leaves its successor the
 * same artifact rather than a second one. Implementation: the engine's table {@code mission_artifacts}.
 */
interface ArtifactWriter {

    /**
     * Saves the artifact under {@code key} (unique in the mission), or returns the one saved under it
     * before, as it was saved.
     */
    MissionArtifact save(UUID missionId, String key, String type, String title, String format, String content);
}
