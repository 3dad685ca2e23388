package io.askexpert.missions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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

    /** For a caller without a key of its own: the same document saved twice in a mission is one artifact. */
    default MissionArtifact save(UUID missionId, String type, String title, String format, String content) {
        return save(missionId, "content/" + sha256(String.join("\u0000", type, title, format, content)), type, title,
                format, content);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
