package io.askexpert.sessions;

import io.askexpert.config.Mode;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sessions and their messages in PostgreSQL (api.md §5.3). Every read and write is scoped to the
 * tenant and user: another tenant's (or user's) session is not found, never shown. Session ids
 * are unique per tenant and user only, so a client-chosen id never collides with, or reveals,
 * anyone else's. A message and the session's counters (message count, total cost, last update)
 * change in one statement.
 */
@Component
public class SessionStore {

    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final TypeReference<List<Map<String, Object>>> CITATIONS = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    public SessionStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /**
     * The session a question belongs to: a new one when {@code sessionId} is null, the caller's
     * own when it exists, or a new one under the id a client chose for its conversation.
     *
     * @throws AskExpertException {@code VALIDATION_ERROR} for an id of the wrong shape
     */
    public Session open(String tenantId, String userId, @Nullable String sessionId, Mode mode, @Nullable String agentId,
                        String firstQuestion) {
        String id = sessionId == null ? UUID.randomUUID().toString() : sessionId;
        if (!SESSION_ID.matcher(id).matches()) {
            throw AskExpertException.invalid("session_id",
                    "session_id must be 1 to 128 letters, digits or . _ : -");
        }
        Optional<Session> created = jdbc.sql("""
                        insert into sessions (id, tenant_id, user_id, mode, agent_id, title) values (?, ?, ?, ?, ?, ?)
                        on conflict (tenant_id, user_id, id) do nothing returning *""")
                .params(id, tenantId, userId, mode.number(), agentId, Titles.fromQuestion(firstQuestion))
                .query(this::session).optional();
        if (created.isPresent()) {
            return created.get();
        }
        Session existing = find(tenantId, userId, id)
                .orElseThrow(() -> AskExpertException.notFound(ErrorCode.SESSION_NOT_FOUND, "session", id));
        if (agentId != null && !agentId.equals(existing.agentId())) {
            jdbc.sql("update sessions set agent_id = ? where id = ? and tenant_id = ? and user_id = ?")
                    .params(agentId, id, tenantId, userId).update();
        }
        return existing;
    }

    /**
     * The new session {@link #open} would create under a fresh id, not yet stored: a question that
     * opens a session needs nothing from the database, so its row is written behind the answer
     * ({@link #create}).
     */
    public Session unsaved(String tenantId, String userId, String sessionId, Mode mode, @Nullable String agentId,
                           String firstQuestion) {
        Instant now = Instant.now();
        return new Session(sessionId, tenantId, userId, mode, agentId, Titles.fromQuestion(firstQuestion), now, now, 0,
                BigDecimal.ZERO);
    }

    /** Stores a session made by {@link #unsaved}; its id is new, so this is a plain insert. */
    public void create(Session s) {
        jdbc.sql("insert into sessions (id, tenant_id, user_id, mode, agent_id, title) values (?, ?, ?, ?, ?, ?)")
                .params(s.sessionId(), s.tenantId(), s.userId(), s.mode().number(), s.agentId(), s.title()).update();
    }

    public Optional<Session> find(String tenantId, String userId, String sessionId) {
        return jdbc.sql("select * from sessions where id = ? and tenant_id = ? and user_id = ?")
                .params(sessionId, tenantId, userId).query(this::session).optional();
    }

    /** The caller's sessions, most recently updated first. */
    public List<Session> list(String tenantId, String userId, int limit, int offset) {
        return jdbc.sql("""
                        select * from sessions where tenant_id = ? and user_id = ?
                        order by updated_at desc, id limit ? offset ?""")
                .params(tenantId, userId, limit, offset).query(this::session).list();
    }

    public long count(String tenantId, String userId) {
        return jdbc.sql("select count(*) from sessions where tenant_id = ? and user_id = ?")
                .params(tenantId, userId).query(Long.class).single();
    }

    /** The session's turns, oldest first. */
    public List<Message> messages(String tenantId, String userId, String sessionId) {
        return jdbc.sql("select * from messages where tenant_id = ? and user_id = ? and session_id = ? order by seq")
                .params(tenantId, userId, sessionId).query(this::message).list();
    }

    /** A new message id, for a turn whose id is needed before it is stored. */
    public static String newMessageId() {
        return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Appends one turn and updates the session's counters; returns the stored message. */
    public Message append(String tenantId, String userId, String sessionId, NewMessage m) {
        return append(tenantId, userId, sessionId, newMessageId(), m);
    }

    /** As {@link #append(String, String, String, NewMessage)}, under an id from {@link #newMessageId}. */
    public Message append(String tenantId, String userId, String sessionId, String id, NewMessage m) {
        return jdbc.sql("""
                        with m as (
                          insert into messages (id, session_id, tenant_id, user_id, role, content, citations, run_id, model,
                                                input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_usd)
                          values (?, ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?, ?, ?, ?, ?, ?)
                          returning *),
                        s as (
                          update sessions set message_count = message_count + 1,
                                 total_cost_usd = total_cost_usd + (select cost_usd from m), updated_at = now()
                          where (tenant_id, user_id, id) = (select tenant_id, user_id, session_id from m))
                        select * from m""")
                .params(id, sessionId, tenantId, userId, m.role(), m.content(), json.writeValueAsString(m.citations()),
                        m.runId(), m.model(), m.tokens().input(), m.tokens().output(), m.tokens().cacheRead(),
                        m.tokens().cacheWrite(), m.costUsd())
                .query(this::message).single();
    }

    /**
     * Locks the session's row until the transaction ends. A write that ends an answer and is tried
     * again takes it before it looks for what an earlier attempt stored: a commit still in flight
     * on a connection the pool gave up holds this row (it moved the counters), so the look waits
     * for that commit or its rollback and never misses it.
     */
    public void lock(String tenantId, String userId, String sessionId) {
        jdbc.sql("select id from sessions where id = ? and tenant_id = ? and user_id = ? for update")
                .params(sessionId, tenantId, userId).query(String.class).optional();
    }

    /** The id of the assistant's reply stored for the run, if there is one; call {@link #lock} first. */
    public Optional<String> replyOf(String tenantId, String userId, String sessionId, String runId) {
        return jdbc.sql("""
                        select id from messages where tenant_id = ? and user_id = ? and session_id = ? and run_id = ?
                        and role = 'assistant'""")
                .params(tenantId, userId, sessionId, runId).query(String.class).optional();
    }

    /**
     * Adds a billed amount that came with no stored message (an answer that broke off or was
     * cancelled: the provider billed its partial usage) to the session's total.
     */
    public void addCost(String tenantId, String userId, String sessionId, BigDecimal costUsd) {
        jdbc.sql("""
                        update sessions set total_cost_usd = total_cost_usd + ?, updated_at = now()
                        where id = ? and tenant_id = ? and user_id = ?""")
                .params(costUsd, sessionId, tenantId, userId).update();
    }

    /** Renames a session; false when it is not the caller's. */
    public boolean rename(String tenantId, String userId, String sessionId, String title) {
        return jdbc.sql("update sessions set title = ?, updated_at = now() where id = ? and tenant_id = ? and user_id = ?")
                .params(title, sessionId, tenantId, userId).update() == 1;
    }

    /** Deletes a session and its messages; false when it is not the caller's. */
    public boolean delete(String tenantId, String userId, String sessionId) {
        return jdbc.sql("delete from sessions where id = ? and tenant_id = ? and user_id = ?")
                .params(sessionId, tenantId, userId).update() == 1;
    }

    private Session session(ResultSet rs, int n) throws SQLException {
        return new Session(rs.getString("id"), rs.getString("tenant_id"), rs.getString("user_id"), Mode.of(rs.getInt("mode")),
                rs.getString("agent_id"), rs.getString("title"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), rs.getInt("message_count"), rs.getBigDecimal("total_cost_usd"));
    }

    private Message message(ResultSet rs, int n) throws SQLException {
        BigDecimal cost = rs.getBigDecimal("cost_usd");
        return new Message(rs.getString("id"), rs.getString("session_id"), rs.getString("role"), rs.getString("content"),
                json.readValue(rs.getString("citations"), CITATIONS), rs.getString("run_id"), rs.getString("model"),
                new Message.TokenCounts(rs.getLong("input_tokens"), rs.getLong("output_tokens"),
                        rs.getLong("cache_read_tokens"), rs.getLong("cache_write_tokens")),
                cost, rs.getTimestamp("created_at").toInstant());
    }
}
