package io.askexpert.missions;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code mission_artifacts} table: the {@link ArtifactWriter} the executor saves through, and
 * the reads of the status route and the download.
 */
final class MissionArtifacts implements ArtifactWriter {

    /** How much of an artifact its event and the status show. */
    static final int PREVIEW = 500;

    /** A stored artifact with its content, for download. */
    record Stored(MissionArtifact artifact, String content) {
    }

    private final JdbcClient jdbc;

    MissionArtifacts(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    static String downloadUrl(UUID missionId, UUID artifactId) {
        return "/api/v1/expert/missions/" + missionId + "/artifacts/" + artifactId;
    }

    /**
     * The id is derived from the mission and the document, and a second save of the same document is
     * nothing: the executor saves inside a recorded call, and a worker killed after the insert but
     * before the call's record replays the save, which must not leave the report twice.
     */
    @Override
    public MissionArtifact save(UUID missionId, String type, String title, String format, String content) {
        UUID id = UUID.nameUUIDFromBytes(String.join("\u0000", missionId.toString(), type, title, format, content)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        jdbc.sql("insert into mission_artifacts (id, mission_id, type, title, format, content) values (?, ?, ?, ?, ?, ?) "
                        + "on conflict (id) do nothing")
                .params(id, missionId, type, title, format, content).update();
        return artifact(missionId, id, type, title, format, content);
    }

    List<MissionArtifact> list(UUID missionId) {
        return jdbc.sql("select id, type, title, format, left(content, ?) preview from mission_artifacts "
                        + "where mission_id = ? order by created_at, id")
                .params(PREVIEW, missionId)
                .query((rs, n) -> artifact(missionId, rs.getObject("id", UUID.class), rs.getString("type"),
                        rs.getString("title"), rs.getString("format"), rs.getString("preview")))
                .list();
    }

    Optional<Stored> find(UUID missionId, UUID artifactId) {
        return jdbc.sql("select id, type, title, format, content from mission_artifacts where mission_id = ? and id = ?")
                .params(missionId, artifactId)
                .query((rs, n) -> new Stored(artifact(missionId, artifactId, rs.getString("type"), rs.getString("title"),
                        rs.getString("format"), rs.getString("content")), rs.getString("content")))
                .optional();
    }

    private static MissionArtifact artifact(UUID missionId, UUID id, String type, String title, String format,
                                            String content) {
        String preview = content.length() > PREVIEW ? content.substring(0, PREVIEW) : content;
        return new MissionArtifact(id, type, title, format, preview, downloadUrl(missionId, id));
    }
}
