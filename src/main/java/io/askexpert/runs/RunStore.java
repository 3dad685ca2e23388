package io.askexpert.runs;

import io.askexpert.config.Mode;
import io.askexpert.instances.ServiceInstances;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code runs} table: one row per run, written at start, at its terminal event and, while it
 * runs, with its last event id and what is known of the cost of its LLM call (so a crash loses
 * neither). Every write after the start is conditional on {@code status = 'running'}: the first
 * terminal outcome recorded wins, whether the owner's or a reaper's.
 */
final class RunStore {

    private static final String COLUMNS = "id, tenant_id, user_id, session_id, mission_id, mode, status, last_event_id, "
            + "created_at, finished_at, terminal_event";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    RunStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.template = new JdbcTemplate(dataSource);
    }

    void insert(String runId, RunStart start, String instanceId) {
        jdbc.sql("""
                        insert into runs (id, tenant_id, user_id, session_id, mission_id, mode, status, instance_id)
                        values (?, ?, ?, ?, ?, ?, 'running', ?)""")
                .params(runId, start.tenantId(), start.userId(), start.sessionId(), start.missionId(), start.mode().number(),
                        instanceId).update();
    }

    /** Inserts the row of a run whose id was chosen before (a mission's); false when it exists already. */
    boolean insertIfAbsent(String runId, RunStart start, String instanceId) {
        return jdbc.sql("""
                        insert into runs (id, tenant_id, user_id, session_id, mission_id, mode, status, instance_id)
                        values (?, ?, ?, ?, ?, ?, 'running', ?) on conflict (id) do nothing""")
                .params(runId, start.tenantId(), start.userId(), start.sessionId(), start.missionId(),
                        start.mode().number(), instanceId).update() == 1;
    }

    /** Records the outcome; false when the run had already ended (a reaper got there first). */
    boolean finish(String runId, String status, long lastEventId, String terminalData) {
        return jdbc.sql("""
                        update runs set status = ?, last_event_id = ?, terminal_event = ?, pending_cost = null,
                            finished_at = now() where id = ? and status = 'running'""")
                .params(status, lastEventId, terminalData, runId).update() == 1;
    }

    /** What a live run has reached: its last event id and the cost known so far ({@code null} when none). */
    record Progress(String runId, long lastEventId, @Nullable String pendingCost) {
    }

    void progress(List<Progress> live) {
        if (live.isEmpty()) {
            return;
        }
        template.batchUpdate("update runs set last_event_id = ?, pending_cost = ? where id = ? and status = 'running'",
                live.stream().map(p -> new Object[] {p.lastEventId(), p.pendingCost(), p.runId()}).toList());
    }

    Optional<RunInfo> find(String tenantId, String runId) {
        return jdbc.sql("select " + COLUMNS + " from runs where id = ? and tenant_id = ?")
                .params(runId, tenantId)
                .query(RunStore::info)
                .optional();
    }

    /** A run that has no live owner, with what is known of its cost. */
    record Orphan(RunInfo info, @Nullable String pendingCost) {
    }

    /**
     * Running runs of modes 1 and 2 whose instance is dead, or that were recorded before runs had
     * an instance and are older than any interactive run can last.
     */
    List<Orphan> orphans(ServiceInstances instances, long unownedAfterSeconds, int limit) {
        List<Object> params = new ArrayList<>(List.of(instances.deadParams()));
        params.add((double) unownedAfterSeconds);
        params.add(limit);
        // Modes 3 and 4 belong to missions: their lease protocol hands a dead worker's mission to
        // another worker, which continues the same run. Closing those runs here would end missions
        // that are about to resume, so only interactive runs are reaped.
        return jdbc.sql("select " + COLUMNS + ", pending_cost from runs r where r.status = 'running' and r.mode in (1, 2) "
                        + "and (" + ServiceInstances.deadCondition("r.instance_id")
                        + " or (r.instance_id is null and r.created_at < now() - make_interval(secs => ?))) "
                        + "order by r.created_at limit ?")
                .params(params)
                .query((rs, n) -> new Orphan(info(rs, n), rs.getString("pending_cost")))
                .list();
    }

    private static RunInfo info(ResultSet rs, int n) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new RunInfo(rs.getString("id"), rs.getString("tenant_id"), rs.getString("user_id"),
                rs.getString("session_id"), rs.getString("mission_id"), Mode.of(rs.getInt("mode")), rs.getString("status"),
                rs.getLong("last_event_id"), rs.getTimestamp("created_at").toInstant(),
                finished == null ? null : finished.toInstant(), rs.getString("terminal_event"));
    }
}
