package io.askexpert.interactive;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.auth.TenantContext;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.config.Mode;
import io.askexpert.cost.CostLedger;
import io.askexpert.database.DatabaseRetry;
import io.askexpert.database.Migrations;
import io.askexpert.llm.LlmEvent;
import io.askexpert.llm.LlmFailure;
import io.askexpert.llm.StopReason;
import io.askexpert.llm.Usage;
import io.askexpert.runs.EventLog;
import io.askexpert.runs.RunEvent;
import io.askexpert.runs.RunHandle;
import io.askexpert.runs.RunRegistry;
import io.askexpert.runs.RunStart;
import io.askexpert.runs.Sequenced;
import io.askexpert.runs.TestRuns;
import io.askexpert.sessions.Message;
import io.askexpert.sessions.NewMessage;
import io.askexpert.sessions.SessionStore;
import io.askexpert.testsupport.TestPostgres;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The writes that end an answer, on the real PostgreSQL, when a commit's reply is lost: the
 * transaction manager commits, then reports the connection failure PostgreSQL's driver reports
 * when the server goes away between the commit and its acknowledgement. The attempt that follows
 * must find what was committed: one reply, one cost row, the session's counters moved once, the
 * run closed once with the terminal event its log then gets under the same id.
 * (AnswerEndOutageIT stops a real server under streaming answers.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnswerEndIT {

    private static final TenantContext CALLER = new TenantContext("t-end", "u-end", false);

    private TestPostgres db;
    private HikariDataSource dataSource;
    private SessionStore sessions;
    private CostLedger costs;
    private JdbcClient jdbc;
    private EventLog log;
    private RunRegistry runs;

    @BeforeAll
    void startDatabase() {
        db = TestPostgres.create();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(db.jdbcUrl());
        dataSource.setMaximumPoolSize(2);
        new Migrations(dataSource).upgrade(null);
        AskExpertSettings settings = new Binder(new MapConfigurationPropertySource(Map.of("ask-expert.role", "serve")))
                .bindOrCreate("ask-expert", Bindable.of(AskExpertSettings.class));
        assertThat(settings.database().retryTimeout()).isEqualTo(Duration.ofSeconds(15));
        sessions = new SessionStore(dataSource);
        costs = new CostLedger(dataSource, settings);
        jdbc = JdbcClient.create(dataSource);
        log = TestRuns.inProcessLog();
        runs = TestRuns.registry(log, dataSource);
    }

    @AfterAll
    void dropDatabase() {
        runs.close();
        dataSource.close();
        db.close();
    }

    /** Commits for real, then throws what a lost acknowledgement looks like, {@code losses} times. */
    private static final class LostAcknowledgements extends DataSourceTransactionManager {
        private final AtomicInteger losses;
        private final boolean commitFirst;

        LostAcknowledgements(javax.sql.DataSource dataSource, int losses, boolean commitFirst) {
            super(dataSource);
            this.losses = new AtomicInteger(losses);
            this.commitFirst = commitFirst;
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            if (losses.getAndDecrement() > 0) {
                if (commitFirst) {
                    super.doCommit(status);
                } else {
                    super.doRollback(status);
                }
                throw new TransactionSystemException("Could not commit JDBC transaction",
                        new SQLException("An I/O error occurred while sending to the backend.", "08006"));
            }
            super.doCommit(status);
        }
    }

    private AnswerEnd end(int losses, boolean commitFirst) {
        return new AnswerEnd(sessions, costs, new TransactionTemplate(new LostAcknowledgements(dataSource, losses, commitFirst)),
                new DatabaseRetry(Duration.ofSeconds(10)), runs);
    }

    private String newSession() {
        String id = "s-" + UUID.randomUUID();
        sessions.create(sessions.unsaved(CALLER.tenantId(), CALLER.userId(), id, Mode.MODE1, null, "What must an IND contain?"));
        return id;
    }

    private static LlmEvent.Completed completed() {
        return new LlmEvent.Completed(new Usage(120, 40, 0, 0), StopReason.END_TURN, "mock-model", "anthropic", false,
                new BigDecimal("0.0042"), List.of());
    }

    private static NewMessage reply(String runId, LlmEvent.Completed done) {
        return new NewMessage("assistant", "An IND contains the protocol.", List.of(), runId, done.model(),
                new Message.TokenCounts(120, 40, 0, 0), done.costUsd());
    }

    private RunHandle start(String session) {
        RunHandle run = runs.start(new RunStart(CALLER.tenantId(), CALLER.userId(), Mode.MODE1, session, null,
                false, Duration.ofSeconds(60)));
        run.emit(new RunEvent.Token("An IND", 0));
        return run;
    }

    private static RunEvent.Done terminal(RunHandle run, String session, String messageId, LlmEvent.Completed done) {
        return new RunEvent.Done(true, session, messageId, run.runId(), 10, 160, done.costUsd(), null, null);
    }

    /** The run's row says done under the id its log gave the done event. */
    private void assertClosedOnce(RunHandle run, RunEvent.Done terminal) {
        assertThat(run.finish(terminal)).isTrue();
        List<Sequenced> logged = log.readAfter(run.runId(), 0, 100, Duration.ZERO);
        assertThat(logged).extracting(Sequenced::event).containsExactly("run", "token", "done");
        assertThat(column("select status || ':' || last_event_id from runs where id = ?", run.runId()))
                .containsExactly("done:" + logged.getLast().id());
    }

    private List<String> column(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(String.class).list();
    }

    /**
     * The two ways a commit's reply is lost: the commit happened (twice in a row, so the retry
     * finds it done), or it did not (the next attempt writes it). Each checks the session's row
     * with its own query.
     */
    static Stream<Arguments> lostAcknowledgements() {
        return Stream.of(
                Arguments.of(Named.of("a reply whose commit acknowledgement was lost is stored and billed once", 2), true,
                        "select message_count || ':' || (total_cost_usd = 0.0042) from sessions where id = ?", "1:true"),
                Arguments.of(Named.of("a reply whose commit did not happen is written by the next attempt", 1), false,
                        "select message_count::text from sessions where id = ?", "1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lostAcknowledgements")
    void a_reply_whose_commit_acknowledgement_was_lost_is_stored_and_billed_once(int losses, boolean commitFirst,
                                                                                 String sessionQuery, String sessionRow) {
        String session = newSession();
        RunHandle run = start(session);
        String runId = run.runId();
        LlmEvent.Completed done = completed();
        String messageId = SessionStore.newMessageId();
        RunEvent.Done terminal = terminal(run, session, messageId, done);

        end(losses, commitFirst).storeReply(CALLER, session, run, messageId, reply(runId, done), done, terminal);

        assertThat(column("select id from messages where run_id = ? and role = 'assistant'", runId)).containsExactly(messageId);
        assertThat(column("select message_id from costs where run_id = ?", runId)).containsExactly(messageId);
        assertThat(column(sessionQuery, session)).containsExactly(sessionRow);
        assertClosedOnce(run, terminal);
    }

    @Test
    void a_run_a_reaper_closed_first_gets_no_reply_and_no_second_bill() {
        String session = newSession();
        RunHandle run = start(session);
        jdbc.sql("update runs set status = 'error' where id = ?").param(run.runId()).update();
        LlmEvent.Completed done = completed();
        String messageId = SessionStore.newMessageId();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> end(0, true).storeReply(CALLER, session, run, messageId,
                reply(run.runId(), done), done, terminal(run, session, messageId, done)))
                .isInstanceOf(IllegalStateException.class);

        assertThat(column("select id from messages where run_id = ?", run.runId())).isEmpty();
        assertThat(column("select id::text from costs where run_id = ?", run.runId())).isEmpty();
    }

    @Test
    void a_failed_call_whose_commit_acknowledgement_was_lost_is_billed_once() {
        String session = newSession();
        String runId = "run_" + UUID.randomUUID().toString().replace("-", "");
        LlmEvent.Failed failed = new LlmEvent.Failed(new LlmFailure(LlmFailure.Kind.SERVER_ERROR, "upstream 500", 500, null),
                false, new Usage(100, 12, 0, 0), "mock-model", "anthropic");

        end(2, true).billFailure(CALLER, session, runId, failed, new BigDecimal("0.0015"));

        assertThat(column("select outcome from costs where run_id = ?", runId)).containsExactly("failed");
        assertThat(column("select (total_cost_usd = 0.0015)::text from sessions where id = ?", session)).containsExactly("true");
    }
}
