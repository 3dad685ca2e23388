package io.askexpert.cost;

import io.askexpert.config.AskExpertSettings;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Records each priced LLM call in {@code costs} when {@code FF_COST_TRACKING} is on, and sums
 * them per message, session, run or tenant. Every read is scoped to one tenant: another
 * tenant's session id sums to nothing. Rows are append-only; when tracking is off nothing is
 * written and totals read what was recorded before.
 */
@Service
public class CostLedger {

    private static final String SUMS = "coalesce(sum(input_tokens), 0) AS input_tokens, "
            + "coalesce(sum(output_tokens), 0) AS output_tokens, coalesce(sum(cache_read_tokens), 0) AS cache_read_tokens, "
            + "coalesce(sum(cache_write_tokens), 0) AS cache_write_tokens, coalesce(sum(cost_usd), 0) AS cost_usd, "
            + "count(*) AS calls";

    private final JdbcClient jdbc;
    private final boolean enabled;

    @Autowired
    public CostLedger(DataSource dataSource, AskExpertSettings settings) {
        this(JdbcClient.create(dataSource), settings.features().costTracking());
    }

    CostLedger(JdbcClient jdbc, boolean enabled) {
        this.jdbc = jdbc;
        this.enabled = enabled;
    }

    /** {@code FF_COST_TRACKING}. */
    public boolean enabled() {
        return enabled;
    }

    /** Appends one call; returns its row id, or empty when cost tracking is off. */
    public Optional<Long> record(CostRecord r) {
        if (!enabled) {
            return Optional.empty();
        }
        return Optional.of(jdbc.sql("""
                        INSERT INTO costs (tenant_id, user_id, session_id, message_id, run_id, mission_id, model, provider,
                                           outcome, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd)
                        VALUES (:tenant, :user, :session, :message, :run, :mission, :model, :provider, :outcome,
                                :input, :output, :cacheRead, :cacheWrite, :cost)
                        RETURNING id""")
                .param("tenant", r.tenantId()).param("user", r.userId()).param("session", r.sessionId()).param("message", r.messageId())
                .param("run", r.runId()).param("mission", r.missionId()).param("model", r.model())
                .param("provider", r.provider()).param("outcome", r.outcome().wire())
                .param("input", r.usage().inputTokens()).param("output", r.usage().outputTokens())
                .param("cacheRead", r.usage().cacheReadTokens()).param("cacheWrite", r.usage().cacheWriteTokens())
                .param("cost", r.costUsd())
                .query(Long.class).single());
    }

    /**
     * True when a call of the run is recorded for the session: a write that bills a failed answer
     * and is tried again asks first, since an earlier attempt may have committed and lost only its
     * reply. False when cost tracking is off.
     */
    public boolean recorded(String tenantId, String sessionId, String runId) {
        if (!enabled) {
            return false;
        }
        return jdbc.sql("SELECT count(*) FROM costs WHERE tenant_id = :tenant AND session_id = :session AND run_id = :run")
                .param("tenant", tenantId).param("session", sessionId).param("run", runId)
                .query(Long.class).single() > 0;
    }

    /**
     * Files the rows of a run made for a mission (a delegated expert's answer) under that mission, so
     * that the mission's rows hold its cost without a second row. Returns how many rows it filed.
     */
    public int fileUnderMission(String tenantId, String runId, String missionId) {
        if (!enabled) {
            return 0;
        }
        // The run has just ended: the day bounds the look to the (tenant_id, created_at) index.
        return jdbc.sql("UPDATE costs SET mission_id = :mission WHERE tenant_id = :tenant AND run_id = :run "
                        + "AND mission_id IS NULL AND created_at > now() - interval '1 day'")
                .param("mission", missionId).param("tenant", tenantId).param("run", runId).update();
    }

    /** The tenant's calls matching {@code filter}, summed. */
    public CostTotals totals(String tenantId, CostFilter filter) {
        Where where = where(tenantId, filter);
        return where.bind(jdbc.sql("SELECT " + SUMS + " FROM costs WHERE " + where.sql))
                .query((rs, n) -> totals(rs)).single();
    }

    /** The same, one line per model (most expensive first). */
    public List<ModelTotals> byModel(String tenantId, CostFilter filter) {
        Where where = where(tenantId, filter);
        return where.bind(jdbc.sql("SELECT model, provider, " + SUMS + " FROM costs WHERE " + where.sql
                        + " GROUP BY model, provider ORDER BY sum(cost_usd) DESC, model"))
                .query((rs, n) -> new ModelTotals(rs.getString("model"), rs.getString("provider"), totals(rs)))
                .list();
    }

    /** Totals of several sessions at once (for a session listing's {@code total_cost_usd}); absent ids sum to none. */
    public Map<String, CostTotals> sessionTotals(String tenantId, Collection<String> sessionIds) {
        Map<String, CostTotals> out = new LinkedHashMap<>();
        if (sessionIds.isEmpty()) {
            return out;
        }
        Map<String, CostTotals> found = new HashMap<>();
        jdbc.sql("SELECT session_id, " + SUMS + " FROM costs WHERE tenant_id = :tenant AND session_id IN (:ids) "
                        + "GROUP BY session_id")
                .param("tenant", tenantId).param("ids", new ArrayList<>(sessionIds))
                .query((rs, n) -> Map.entry(rs.getString("session_id"), totals(rs))).list()
                .forEach(e -> found.put(e.getKey(), e.getValue()));
        for (String id : sessionIds) {
            out.put(id, found.getOrDefault(id, CostTotals.NONE));
        }
        return out;
    }

    /** One model's share of a total. */
    public record ModelTotals(String model, String provider, CostTotals totals) {
    }

    private static CostTotals totals(ResultSet rs) throws SQLException {
        BigDecimal cost = rs.getBigDecimal("cost_usd");
        return new CostTotals(rs.getLong("input_tokens"), rs.getLong("output_tokens"), rs.getLong("cache_read_tokens"),
                rs.getLong("cache_write_tokens"), cost == null ? BigDecimal.ZERO : cost.stripTrailingZeros(),
                rs.getLong("calls"));
    }

    private record Where(String sql, Map<String, Object> params) {
        JdbcClient.StatementSpec bind(JdbcClient.StatementSpec spec) {
            params.forEach(spec::param);
            return spec;
        }
    }

    private static Where where(String tenantId, CostFilter f) {
        StringBuilder sql = new StringBuilder("tenant_id = :tenant");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("tenant", tenantId);
        if (f.userId() != null) {
            sql.append(" AND user_id = :user");
            params.put("user", f.userId());
        }
        if (f.sessionId() != null) {
            sql.append(" AND session_id = :session");
            params.put("session", f.sessionId());
        }
        if (f.messageId() != null) {
            sql.append(" AND message_id = :message");
            params.put("message", f.messageId());
        }
        if (f.runId() != null) {
            sql.append(" AND run_id = :run");
            params.put("run", f.runId());
        }
        if (f.from() != null) {
            sql.append(" AND created_at >= :from");
            params.put("from", Timestamp.from(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND created_at < :to");
            params.put("to", Timestamp.from(f.to()));
        }
        return new Where(sql.toString(), params);
    }
}
