package io.askexpert.missions;

import java.util.UUID;

/**
 * Stores a mission's artifact and returns what its {@code artifact} event shows. The executor calls
 * it inside {@code run.once("artifact/<name>", …)}, so a replay does not store it twice.
 * Implementation: the engine's table {@code mission_artifacts}.
 */
interface ArtifactWriter {

    MissionArtifact save(UUID missionId, String type, String title, String format, String content);
}
