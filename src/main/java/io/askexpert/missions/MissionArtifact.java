package io.askexpert.missions;

import java.util.Objects;
import java.util.UUID;

/**
 * A document a mission produced (its report, or one an expert saved with {@code create_artifact}),
 * as the {@code artifact} event and the mission status show it.
 *
 * @param preview     the first few hundred characters of the content
 * @param downloadUrl {@code /api/v1/expert/missions/{mission_id}/artifacts/{artifact_id}}
 */
record MissionArtifact(UUID id, String type, String title, String format, String preview, String downloadUrl) {

    MissionArtifact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(preview, "preview");
        Objects.requireNonNull(downloadUrl, "downloadUrl");
    }
}
