package io.askexpert.runs;

import java.sql.Timestamp;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The {@code runs} table: one row per run, written at start and at its terminal event. */
final class RunStore {

    private final JdbcClient jdbc;

    RunStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    void insert(String runId, String tenantId, @Nullable String sessionId, @Nullable String missionId, int mode) {
        jdbc.sql("insert into runs (id, tenant_id, session_id, mission_id, mode, status) values (?, ?, ?, ?, ?, 'running')")
                .params(runId, tenantId, sessionId, missionId, mode).update();
    }

    void finish(String runId, String status, long lastEventId) {
        jdbc.sql("update runs set status = ?, last_event_id = ?, finished_at = now() where id = ? and status = 'running'")
                .params(status, lastEventId, runId).update();
    }

    Optional<RunInfo> find(String tenantId, String runId) {
        return jdbc.sql("""
                        select id, tenant_id, session_id, mission_id, mode, status, last_event_id, created_at, finished_at
                        from runs where id = ? and tenant_id = ?""")
                .params(runId, tenantId)
                .query((rs, n) -> {
                    Timestamp finished = rs.getTimestamp("finished_at");
                    return new RunInfo(rs.getString("id"), rs.getString("tenant_id"), rs.getString("session_id"),
                            rs.getString("mission_id"), rs.getInt("mode"), rs.getString("status"),
                            rs.getLong("last_event_id"), rs.getTimestamp("created_at").toInstant(),
                            finished == null ? null : finished.toInstant());
                })
                .optional();
    }
}
