package io.askexpert.missions;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code missions} table. Every state change is one {@code UPDATE … WHERE id = ? AND version = ?}
 * that increments the version: it returns false when someone else changed the mission since it was
 * read (the caller re-reads and decides again). Lease times are the database's clock, so instances
 * whose clocks differ agree on when a lease expired. Legality of a move is the caller's check
 * ({@link MissionTransitions}); this class only writes what it is told, conditionally.
 */
final class MissionStore {

    private static final String COLUMNS = "id, tenant_id, user_id, mode, status, goal, title, agent_id, options, context, "
            + "run_id, version, lease_owner, lease_expires_at, running_ms, error_code, error_message, created_at, "
            + "updated_at, finished_at";

    private final JdbcClient jdbc;

    MissionStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    void insert(Mission m) {
        jdbc.sql("""
                        insert into missions (id, tenant_id, user_id, mode, status, goal, title, agent_id, options, context,
                            version, created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), cast(? as jsonb), ?, ?, ?)""")
                .params(m.id(), m.tenantId(), m.userId(), m.mode().number(), m.status().wireName(), m.goal(), m.title(),
                        m.agentId(), MissionJson.options(m.options()), MissionJson.write(m.context()), m.version(),
                        Timestamp.from(m.createdAt()), Timestamp.from(m.updatedAt()))
                .update();
    }

    Optional<MissionRecord> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from missions where id = ?").param(id).query(MissionStore::row).optional();
    }

    /** The row locked until the surrounding transaction ends (decisions serialise on it). */
    Optional<MissionRecord> lock(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from missions where id = ? for update").param(id)
                .query(MissionStore::row).optional();
    }

    Optional<MissionRecord> findByRun(String runId) {
        return jdbc.sql("select " + COLUMNS + " from missions where run_id = ?").param(runId)
                .query(MissionStore::row).optional();
    }

    /** Moves the mission to {@code to} if it is still at {@code version}; a move off running drops the lease. */
    boolean move(UUID id, long version, MissionStatus to) {
        return jdbc.sql("""
                        update missions set status = ?, version = version + 1, updated_at = now(),
                            lease_owner = case when ? = 'running' then lease_owner end,
                            lease_expires_at = case when ? = 'running' then lease_expires_at end,
                            finished_at = case when ? in ('completed', 'failed', 'cancelled') then now() end
                        where id = ? and version = ?""")
                .params(to.wireName(), to.wireName(), to.wireName(), to.wireName(), id, version).update() == 1;
    }

    /** created → queued with its run: the run id is set once, by whoever wins this compare-and-set. */
    boolean startRun(UUID id, long version, String runId) {
        return jdbc.sql("""
                        update missions set status = 'queued', run_id = ?, version = version + 1, updated_at = now()
                        where id = ? and version = ? and status = 'created' and run_id is null""")
                .params(runId, id, version).update() == 1;
    }

    /** Fails the mission with a code and a message a user can read, if it is still at {@code version}. */
    boolean fail(UUID id, long version, String code, String message, long addRunningMs) {
        return jdbc.sql("""
                        update missions set status = 'failed', error_code = ?, error_message = ?, version = version + 1,
                            running_ms = running_ms + ?, lease_owner = null, lease_expires_at = null,
                            updated_at = now(), finished_at = now()
                        where id = ? and version = ?""")
                .params(code, message, addRunningMs, id, version).update() == 1;
    }

    /**
     * Takes the mission for {@code owner}: a queued one, or a running one whose lease expired (its
     * worker died). Returns the mission as taken (running, new version), or empty when someone else
     * has it or it is in any other state.
     */
    Optional<MissionRecord> claim(UUID id, String owner, Duration ttl) {
        return jdbc.sql("update missions set status = 'running', version = version + 1, lease_owner = ?, "
                        + "lease_expires_at = now() + make_interval(secs => ?), updated_at = now() "
                        + "where id = ? and (status = 'queued' or (status = 'running' and lease_expires_at < now())) "
                        + "returning " + COLUMNS)
                .params(owner, seconds(ttl), id)
                .query(MissionStore::row).optional();
    }

    /**
     * Extends the lease and counts the running time since the last renewal; false when the lease is
     * lost (the mission changed: paused, cancelled, taken over). Does not change the version.
     */
    boolean renew(UUID id, String owner, long version, Duration ttl, long addRunningMs) {
        return jdbc.sql("""
                        update missions set lease_expires_at = now() + make_interval(secs => ?),
                            running_ms = running_ms + ?
                        where id = ? and version = ? and status = 'running' and lease_owner = ?""")
                .params(seconds(ttl), addRunningMs, id, version, owner).update() == 1;
    }

    /**
     * The worker's own move off running (parked, done, failed with a code and message), valid only
     * while it holds the lease.
     */
    boolean release(UUID id, String owner, long version, MissionStatus to, long addRunningMs,
                    @Nullable String errorCode, @Nullable String errorMessage) {
        return jdbc.sql("""
                        update missions set status = ?, version = version + 1, running_ms = running_ms + ?,
                            lease_owner = null, lease_expires_at = null, updated_at = now(),
                            error_code = coalesce(?, error_code), error_message = coalesce(?, error_message),
                            finished_at = case when ? in ('completed', 'failed', 'cancelled') then now() end
                        where id = ? and version = ? and status = 'running' and lease_owner = ?""")
                .params(to.wireName(), addRunningMs, errorCode, errorMessage, to.wireName(), id, version, owner)
                .update() == 1;
    }

    /** How many of the executor's replayable events the mission's run already holds. */
    long eventsEmitted(UUID id) {
        return jdbc.sql("select events_emitted from missions where id = ?").param(id).query(Long.class).optional().orElse(0L);
    }

    void eventsEmitted(UUID id, long count) {
        jdbc.sql("update missions set events_emitted = greatest(events_emitted, ?) where id = ?").params(count, id).update();
    }

    /** Marks a queued mission as pushed again now, so the reaper does not push it again at once. */
    boolean touch(UUID id, long version) {
        return jdbc.sql("update missions set updated_at = now() where id = ? and version = ?").params(id, version)
                .update() == 1;
    }

    /** Missions waiting for a person although none of their checkpoints is pending any more. */
    List<MissionRecord> waitingForNothing(Duration age, int limit) {
        return jdbc.sql("select " + COLUMNS + " from missions m where status = 'waiting_for_human' "
                        + "and updated_at < now() - make_interval(secs => ?) and not exists (select 1 from "
                        + "mission_checkpoints c where c.mission_id = m.id and c.status = 'pending') limit ?")
                .params(seconds(age), limit).query(MissionStore::row).list();
    }

    /** The plan, current step and progress the status route shows (from the executor's events). */
    record Progress(@Nullable String planJson, @Nullable String currentStepJson, int progress) {
    }

    Optional<Progress> progress(UUID id) {
        return jdbc.sql("select plan::text plan, current_step::text current_step, progress from missions where id = ?")
                .param(id).query((rs, n) -> new Progress(rs.getString("plan"), rs.getString("current_step"),
                        rs.getInt("progress"))).optional();
    }

    void plan(UUID id, String planJson) {
        jdbc.sql("update missions set plan = cast(? as jsonb) where id = ?").params(planJson, id).update();
    }

    void currentStep(UUID id, @Nullable String stepJson, @Nullable String planJson, @Nullable Integer progress) {
        jdbc.sql("update missions set current_step = cast(? as jsonb), plan = coalesce(cast(? as jsonb), plan), "
                        + "progress = coalesce(?, progress) where id = ?")
                .params(stepJson, planJson, progress, id).update();
    }

    void progress(UUID id, int progress) {
        jdbc.sql("update missions set progress = ? where id = ?").params(Math.max(0, Math.min(100, progress)), id).update();
    }

    /**
     * Ended missions whose run is still open: the worker or the canceller that ended the mission
     * died before the run's terminal event was appended.
     */
    List<MissionRecord> endedWithOpenRun(Duration age, int limit) {
        return jdbc.sql("select " + COLUMNS + " from missions where id in (select m.id from missions m "
                        + "join runs r on r.id = m.run_id where r.status = 'running' "
                        + "and m.status in ('completed', 'failed', 'cancelled') "
                        + "and m.finished_at < now() - make_interval(secs => ?) order by m.finished_at limit ?)")
                .params(seconds(age), limit).query(MissionStore::row).list();
    }

    /**
     * Ended missions that still hold budget reservations: the worker that ended the mission (or was
     * told to) died before releasing them. Looked up from the open reservations, which are few.
     */
    List<UUID> endedHoldingBudget(Duration age, int limit) {
        return jdbc.sql("select id from missions where id in (select mission_id from budget_reservations "
                        + "where status = 'open') and status in ('completed', 'failed', 'cancelled') "
                        + "and finished_at < now() - make_interval(secs => ?) order by finished_at limit ?")
                .params(seconds(age), limit).query(UUID.class).list();
    }

    /** Running missions whose lease expired: their worker died or lost the database. */
    List<MissionRecord> expiredLeases(int limit) {
        return jdbc.sql("select " + COLUMNS + " from missions where status = 'running' and lease_expires_at < now() "
                        + "order by lease_expires_at limit ?")
                .param(limit).query(MissionStore::row).list();
    }

    /** Missions left in {@code status} unchanged for longer than {@code age}. */
    List<MissionRecord> stale(MissionStatus status, Duration age, int limit) {
        return jdbc.sql("select " + COLUMNS + " from missions where status = ? "
                        + "and updated_at < now() - make_interval(secs => ?) order by updated_at limit ?")
                .params(status.wireName(), seconds(age), limit).query(MissionStore::row).list();
    }

    /** Run ids of missions that have not ended, whose event logs must be kept. */
    List<String> liveRunIds(int limit, @Nullable String afterRunId) {
        return jdbc.sql("select run_id from missions where run_id is not null and run_id > ? "
                        + "and status not in ('completed', 'failed', 'cancelled') order by run_id limit ?")
                .params(afterRunId == null ? "" : afterRunId, limit).query(String.class).list();
    }

    /** A page of a user's (or, for an admin, a tenant's) missions, newest first. */
    List<MissionRecord> history(String tenantId, @Nullable String userId, @Nullable MissionMode mode,
                                @Nullable MissionStatus status, int limit, int offset) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from missions where tenant_id = ?");
        List<Object> params = new ArrayList<>(List.of(tenantId));
        where(sql, params, userId, mode, status);
        sql.append(" order by created_at desc, id limit ? offset ?");
        params.add(limit);
        params.add(offset);
        return jdbc.sql(sql.toString()).params(params).query(MissionStore::row).list();
    }

    long count(String tenantId, @Nullable String userId, @Nullable MissionMode mode, @Nullable MissionStatus status) {
        StringBuilder sql = new StringBuilder("select count(*) from missions where tenant_id = ?");
        List<Object> params = new ArrayList<>(List.of(tenantId));
        where(sql, params, userId, mode, status);
        return jdbc.sql(sql.toString()).params(params).query(Long.class).single();
    }

    private static void where(StringBuilder sql, List<Object> params, @Nullable String userId,
                              @Nullable MissionMode mode, @Nullable MissionStatus status) {
        if (userId != null) {
            sql.append(" and user_id = ?");
            params.add(userId);
        }
        if (mode != null) {
            sql.append(" and mode = ?");
            params.add(mode.number());
        }
        if (status != null) {
            sql.append(" and status = ?");
            params.add(status.wireName());
        }
    }

    /** How many missions are in each state now, for {@code ask_expert_missions{state}}. */
    java.util.Map<MissionStatus, Long> countByStatus() {
        java.util.Map<MissionStatus, Long> counts = new java.util.EnumMap<>(MissionStatus.class);
        for (MissionStatus s : MissionStatus.values()) {
            counts.put(s, 0L);
        }
        jdbc.sql("select status, count(*) n from missions group by status")
                .query((rs, n) -> counts.put(MissionStatus.fromWire(rs.getString("status")), rs.getLong("n"))).list();
        return counts;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    static MissionRecord row(ResultSet rs, int n) throws SQLException {
        Mission m = new Mission(rs.getObject("id", UUID.class), rs.getString("tenant_id"), rs.getString("user_id"),
                MissionMode.of(rs.getInt("mode")), MissionStatus.fromWire(rs.getString("status")), rs.getString("goal"),
                rs.getString("title"), rs.getString("agent_id"), MissionJson.options(rs.getString("options")),
                MissionJson.map(rs.getString("context")), rs.getString("run_id"), rs.getLong("version"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
        return new MissionRecord(m, rs.getString("lease_owner"), instant(rs, "lease_expires_at"), rs.getLong("running_ms"),
                rs.getString("error_code"), rs.getString("error_message"), instant(rs, "finished_at"));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
