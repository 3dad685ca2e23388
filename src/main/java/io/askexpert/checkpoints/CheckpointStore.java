package io.askexpert.checkpoints;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code mission_checkpoints} table. A checkpoint is created once per (mission, key); it is
 * decided once, by {@code UPDATE … WHERE status = 'pending'}: of two decisions arriving together on
 * any instances exactly one changes the row. Calls join the caller's transaction when there is one
 * (the mission's re-queue is written in the same transaction as the decision).
 */
public class CheckpointStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COLUMNS = "id, mission_id, key, type, urgency, title, question, context, options, status, "
            + "default_decision, decision, comment, option, decided_by, decided_at, timeout_at, created_at";

    private final JdbcClient jdbc;

    public CheckpointStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** Persists the checkpoint unless its key exists for the mission; returns the stored one either way. */
    public Checkpoint create(NewCheckpoint c) {
        jdbc.sql("""
                        insert into mission_checkpoints (id, mission_id, key, type, urgency, title, question, context,
                            options, default_decision, timeout_at)
                        values (?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb), ?,
                            now() + make_interval(secs => ?))
                        on conflict (mission_id, key) do nothing""")
                .params(UUID.randomUUID(), c.missionId(), c.key(), c.type(), c.urgency(), c.title(), c.question(),
                        JSON.writeValueAsString(c.context()), JSON.writeValueAsString(c.options()), c.defaultDecision(),
                        c.timeout().toMillis() / 1000.0)
                .update();
        return byKey(c.missionId(), c.key()).orElseThrow();
    }

    public Optional<Checkpoint> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from mission_checkpoints where id = ?").param(id)
                .query(CheckpointStore::row).optional();
    }

    public Optional<Checkpoint> byKey(UUID missionId, String key) {
        return jdbc.sql("select " + COLUMNS + " from mission_checkpoints where mission_id = ? and key = ?")
                .params(missionId, key).query(CheckpointStore::row).optional();
    }

    /** The mission's checkpoints, oldest first. */
    public List<Checkpoint> forMission(UUID missionId) {
        return jdbc.sql("select " + COLUMNS + " from mission_checkpoints where mission_id = ? order by created_at, id")
                .param(missionId).query(CheckpointStore::row).list();
    }

    public List<Checkpoint> pending(UUID missionId) {
        return jdbc.sql("select " + COLUMNS + " from mission_checkpoints where mission_id = ? and status = 'pending' "
                        + "order by created_at, id")
                .param(missionId).query(CheckpointStore::row).list();
    }

    /** Pending checkpoints per mission, for listings. */
    public Map<UUID, Integer> pendingCounts(List<UUID> missionIds) {
        Map<UUID, Integer> counts = new LinkedHashMap<>();
        if (missionIds.isEmpty()) {
            return counts;
        }
        jdbc.sql("select mission_id, count(*) n from mission_checkpoints where status = 'pending' "
                        + "and mission_id = any(?) group by mission_id")
                .param(missionIds.toArray(UUID[]::new))
                .query((rs, n) -> counts.put(rs.getObject("mission_id", UUID.class), rs.getInt("n"))).list();
        return counts;
    }

    /**
     * Decides a pending checkpoint. An identical earlier decision is {@link DecideOutcome.Repeated};
     * a different one, or an expiry, is {@link DecideOutcome.AlreadyResolved}.
     *
     * @throws java.util.NoSuchElementException when there is no such checkpoint
     */
    public DecideOutcome decide(UUID id, Decision d) {
        Optional<Checkpoint> decided = jdbc.sql("update mission_checkpoints set status = ?, decision = ?, comment = ?, "
                        + "option = ?, decided_by = ?, decided_at = now() where id = ? and status = 'pending' "
                        + "returning " + COLUMNS)
                .params(CheckpointStatus.decided(d.decision()).wireName(), d.decision(), d.comment(), d.option(),
                        d.decidedBy(), id)
                .query(CheckpointStore::row).optional();
        if (decided.isPresent()) {
            return new DecideOutcome.Decided(decided.get());
        }
        Checkpoint existing = find(id).orElseThrow();
        return d.sameAs(existing) ? new DecideOutcome.Repeated(existing) : new DecideOutcome.AlreadyResolved(existing);
    }

    /** Applies the default decision of a checkpoint past its timeout; empty when it was decided meanwhile. */
    public Optional<Checkpoint> expire(UUID id) {
        return jdbc.sql("update mission_checkpoints set status = 'expired', decision = default_decision, "
                        + "decided_by = 'timeout', decided_at = now() where id = ? and status = 'pending' "
                        + "and timeout_at <= now() returning " + COLUMNS)
                .param(id).query(CheckpointStore::row).optional();
    }

    /** Pending checkpoints past their timeout, oldest first. */
    public List<Checkpoint> due(int limit) {
        return jdbc.sql("select " + COLUMNS + " from mission_checkpoints where status = 'pending' and timeout_at <= now() "
                        + "order by timeout_at limit ?")
                .param(limit).query(CheckpointStore::row).list();
    }

    static Checkpoint row(ResultSet rs, int n) throws SQLException {
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> context = JSON.readValue(rs.getString("context"), LinkedHashMap.class);
        List<String> options = new ArrayList<>();
        for (Object o : JSON.readValue(rs.getString("options"), List.class)) {
            options.add(String.valueOf(o));
        }
        Timestamp decidedAt = rs.getTimestamp("decided_at");
        return new Checkpoint(rs.getObject("id", UUID.class), rs.getObject("mission_id", UUID.class), rs.getString("key"),
                rs.getString("type"), rs.getString("urgency"), rs.getString("title"), rs.getString("question"), context,
                options, CheckpointStatus.fromWire(rs.getString("status")), rs.getString("default_decision"),
                rs.getString("decision"), rs.getString("comment"), rs.getString("option"), rs.getString("decided_by"),
                decidedAt == null ? null : decidedAt.toInstant(), rs.getTimestamp("timeout_at").toInstant(),
                rs.getTimestamp("created_at").toInstant());
    }
}
