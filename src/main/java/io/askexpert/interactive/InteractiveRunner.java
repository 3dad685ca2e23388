package io.askexpert.interactive;

import io.askexpert.agents.AgentCatalog;
import io.askexpert.auth.TenantContext;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.config.Mode;
import io.askexpert.cost.CostLedger;
import io.askexpert.database.DatabaseRetry;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.fusion.FusionEngine;
import io.askexpert.knowledge.KnowledgeBase;
import io.askexpert.knowledge.TextEmbedder;
import io.askexpert.llm.LlmGateway;
import io.askexpert.llm.Usage;
import io.askexpert.observability.SpanName;
import io.askexpert.observability.Tracing;
import io.askexpert.runs.RunEvent;
import io.askexpert.runs.RunHandle;
import io.askexpert.runs.RunRegistry;
import io.askexpert.runs.RunStart;
import io.askexpert.sessions.Session;
import io.askexpert.sessions.SessionStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Modes 1 and 2 (api.md §5.1–5.2): one question, one cited answer, as a run. Everything that can
 * be refused is checked before the run starts, so it is an ordinary JSON error (the expert does
 * not exist, the session belongs to someone else, the session is busy); from then on the run's
 * events carry the outcome, ending in exactly one of {@code done}, {@code error} or
 * {@code cancelled}. {@link #start} returns at once and the answer is produced in the background
 * (streams read it from the run's event log); {@link #ask} produces it on the caller's thread.
 */
@Service
public class InteractiveRunner implements AutoCloseable {

    private final Pipeline pipeline;
    private final RunRegistry runs;
    private final Tracing tracing;
    private final AskExpertSettings.Modes modes;

    public InteractiveRunner(AgentCatalog catalog, FusionEngine fusion, KnowledgeBase knowledge, TextEmbedder embedder,
                             LlmGateway llm, SessionStore sessions, CostLedger costs, RunRegistry runs, Tracing tracing,
                             MeterRegistry registry, AskExpertSettings settings, DataSource dataSource) {
        ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
        TransactionTemplate writes = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.pipeline = new Pipeline(catalog, fusion, new PassageFinder(knowledge, embedder), llm, sessions, writes,
                new InteractiveMetrics(registry), background,
                new RowWrites(settings.runs().maxPendingWrites(), background),
                new AnswerEnd(sessions, costs, writes, new DatabaseRetry(settings.database().retryTimeout()), runs));
        this.runs = runs;
        this.tracing = tracing;
        this.modes = settings.modes();
    }

    /**
     * Starts the run and returns its handle at once; the answer is generated on a virtual thread.
     *
     * @throws AskExpertException before anything started: {@code AGENT_NOT_FOUND}, {@code SESSION_NOT_FOUND},
     *                            {@code SESSION_BUSY}, {@code VALIDATION_ERROR}
     */
    public RunHandle start(TenantContext caller, Question question, String requestId) {
        AnswerRun answer = question.sessionId() == null ? prepareBehind(caller, question, requestId)
                : prepare(caller, question, requestId);
        Thread.ofVirtual().name("answer-" + answer.run().runId()).start(answer::execute);
        // The answer is already on its way upstream; the client's stream starts once its rows are committed.
        try {
            answer.recorded().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return answer.run();
    }

    /**
     * The whole answer, on the calling thread (the run is still recorded and replayable).
     *
     * @throws AskExpertException as {@link #start}; {@link AnswerFailed} with the run's error code (and what it
     *                            spent) when it ended in {@code error} or {@code cancelled}
     */
    public InteractiveAnswer ask(TenantContext caller, Question question, String requestId) {
        AnswerRun answer = prepare(caller, question, requestId);
        RunEvent.Terminal terminal = answer.execute();
        RunEvent.@Nullable Cost spent = answer.spent();
        return switch (terminal) {
            case RunEvent.Done done -> answer.answer();
            case RunEvent.Failed failed -> throw new AnswerFailed(ErrorCode.valueOf(failed.code()), failed.message(),
                    answer.run().runId(), tokens(spent), spent == null ? BigDecimal.ZERO : spent.estimatedCost());
            case RunEvent.Cancelled cancelled -> throw new AnswerFailed(ErrorCode.SERVICE_UNAVAILABLE,
                    "the answer was cancelled (" + cancelled.reason() + ")", answer.run().runId(), tokens(spent),
                    cancelled.partialCost());
        };
    }

    private static Usage tokens(RunEvent.@Nullable Cost spent) {
        return spent == null ? Usage.ZERO : new Usage(spent.inputTokens(), spent.outputTokens(), spent.cacheReadTokens(),
                spent.cacheWriteTokens());
    }

    /**
     * A question that opens a new session depends on nothing stored: the agent comes from the
     * catalogue's memory, and the session and run rows are written in one transaction behind the
     * caller, while the answer already runs (its events are held until the rows commit, see
     * {@link RunRegistry#startBehind}). So the database is off the path to the first token unless
     * it is slower than the model's own first token.
     */
    private AnswerRun prepareBehind(TenantContext caller, Question question, String requestId) {
        long requestNanos = System.nanoTime();
        Mode mode = question.mode();
        String sessionId = UUID.randomUUID().toString();
        Tracing.Trace trace = tracing.start(mode.shortName(), sessionId, caller.userId(), requestId);
        try {
            Panel chosen = chosenPanel(caller, question, trace);
            Duration timeout = modes.timeout(mode);
            String agentId = chosen == null ? null : chosen.lead().id();
            RunStart start = new RunStart(caller.tenantId(), caller.userId(), mode, sessionId, null, question.interrupt(),
                    timeout);
            Session session = pipeline.sessions().unsaved(caller.tenantId(), caller.userId(), sessionId, mode, agentId,
                    question.query());
            RunHandle run = runs.startBehind(start);
            CompletableFuture<Void> written;
            try {
                written = pipeline.rows().submit(() -> pipeline.writes().executeWithoutResult(tx -> {
                    pipeline.sessions().create(session);
                    runs.record(run, start);
                }));
            } catch (RuntimeException e) {
                runs.abandon(run);
                throw e;
            }
            // Released or dropped before anyone waiting on the rows goes on: the answer never ends a run
            // whose events are still held.
            CompletableFuture<Void> recorded = written.handle((ok, failure) -> {
                if (failure == null) {
                    runs.recorded(run);
                    return null;
                }
                runs.abandon(run);
                throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            });
            trace.annotate(Map.of("run_id", run.runId()));
            return new AnswerRun(pipeline, run, caller, question, session, trace, requestId, requestNanos, timeout, chosen,
                    recorded);
        } catch (RuntimeException e) {
            trace.fail(e instanceof AskExpertException a ? a.code().name() : ErrorCode.INTERNAL_ERROR.name());
            trace.close();
            throw e;
        }
    }

    /** Mode 1 (or mode 2 without fusion): the expert the caller named, active, else {@code AGENT_NOT_FOUND}. */
    private @Nullable Panel chosenPanel(TenantContext caller, Question question, Tracing.Trace trace) {
        if (question.mode() != Mode.MODE1 && question.enableFusion()) {
            return null;
        }
        if (question.agentId() == null) {
            throw AskExpertException.invalid("agent_id", "agent_id is required when options.enable_fusion is false");
        }
        try (Tracing.Step step = trace.step(SpanName.AGENT_INSTANTIATION)) {
            Panel chosen = Panel.of(pipeline.catalog().activeForAnswer(caller.tenantId(), question.agentId()));
            step.attribute("agent.slug", chosen.lead().slug());
            return chosen;
        }
    }

    private AnswerRun prepare(TenantContext caller, Question question, String requestId) {
        long requestNanos = System.nanoTime();
        Mode mode = question.mode();
        // The trace is named after the session, so a new session's id is chosen here rather than by the store.
        String sessionId = question.sessionId() != null ? question.sessionId() : UUID.randomUUID().toString();
        Tracing.Trace trace = tracing.start(mode.shortName(), sessionId, caller.userId(), requestId);
        try {
            Panel chosen = chosenPanel(caller, question, trace);
            Duration timeout = modes.timeout(mode);
            String agentId = chosen == null ? null : chosen.lead().id();
            // The session and its run row commit together: one connection and one commit on the token path.
            record Opened(Session session, RunHandle run) {
            }
            Opened opened = pipeline.writes().execute(tx -> {
                Session s = pipeline.sessions().open(caller.tenantId(), caller.userId(), sessionId, mode, agentId,
                        question.query());
                return new Opened(s, runs.start(new RunStart(caller.tenantId(), caller.userId(), mode, s.sessionId(), null,
                        question.interrupt(), timeout)));
            });
            Session session = opened.session();
            RunHandle run = opened.run();
            trace.annotate(Map.of("run_id", run.runId()));
            return new AnswerRun(pipeline, run, caller, question, session, trace, requestId, requestNanos, timeout, chosen,
                    CompletableFuture.completedFuture(null));
        } catch (RuntimeException e) {
            trace.fail(e instanceof AskExpertException a ? a.code().name() : ErrorCode.INTERNAL_ERROR.name());
            trace.close();
            throw e;
        }
    }

    @Override
    public void close() {
        pipeline.passages().close();
        pipeline.background().close();
    }
}
