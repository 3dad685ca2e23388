package io.askexpert.interactive;

import io.askexpert.agents.Agent;
import io.askexpert.auth.TenantContext;
import io.askexpert.config.Mode;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.fusion.FusionResult;
import io.askexpert.knowledge.Source;
import io.askexpert.llm.LlmEvent;
import io.askexpert.llm.LlmFailure;
import io.askexpert.llm.LlmRequest;
import io.askexpert.observability.SpanName;
import io.askexpert.observability.Tracing;
import io.askexpert.runs.RunEvent;
import io.askexpert.runs.RunHandle;
import io.askexpert.sessions.Message;
import io.askexpert.sessions.NewMessage;
import io.askexpert.sessions.Session;
import io.askexpert.sessions.SessionStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * One interactive run, stage by stage, in the order api.md §5.1–5.2 prescribes: the panel
 * (mode 2: {@code progress}, {@code fusion}; an expert the user chose: {@code agent_selected}), {@code reasoning},
 * {@code sources}, the relayed {@code token}s, {@code citation}s, {@code cost}, then exactly one
 * terminal event. A cancel between stages or during generation ends it with {@code cancelled}
 * and the partial usage billed; any failure ends it with {@code error}. What a {@code /query}
 * caller needs is kept as the run goes.
 */
final class AnswerRun {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };
    /** Fewer answer tokens than this are not worth a call. */
    static final int MIN_CAPPED_TOKENS = 200;

    private final Pipeline pipeline;
    private final RunHandle run;
    private final TenantContext caller;
    private final Question question;
    private final Session session;
    private final Tracing.Trace trace;
    private final long requestNanos;
    private final Duration timeout;
    /** Completes when the run's rows are committed (at once when they were written before the run started). */
    private final CompletableFuture<Void> recorded;
    private final RunFailures failures;
    private final TokenRelay tokens;
    private @Nullable Panel panel;

    private String answer = "";
    private final List<RunEvent.Reasoning> reasoning = new ArrayList<>();
    private List<Source> cited = List.of();
    private RunEvent.@Nullable Cost cost;
    private @Nullable String messageId;
    private boolean offline;
    /** The thread was interrupted while the model answered; the flag is set again once the run has ended. */
    private boolean interrupted;

    AnswerRun(Pipeline pipeline, RunHandle run, TenantContext caller, Question question, Session session,
              Tracing.Trace trace, String requestId, long requestNanos, Duration timeout, @Nullable Panel panel,
              CompletableFuture<Void> recorded) {
        this.recorded = recorded;
        this.pipeline = pipeline;
        this.run = run;
        this.caller = caller;
        this.question = question;
        this.session = session;
        this.trace = trace;
        this.requestNanos = requestNanos;
        this.timeout = timeout;
        this.panel = panel;
        this.failures = new RunFailures(run, trace, requestId, question.mode(), timeout);
        this.tokens = new TokenRelay(pipeline, run, trace, question.mode(), requestNanos);
    }

    RunHandle run() {
        return run;
    }

    CompletableFuture<Void> recorded() {
        return recorded;
    }

    /** Runs every stage and ends the run; returns the terminal event it ended with. */
    RunEvent.Terminal execute() {
        pipeline.metrics().started(question.mode());
        RunEvent.Terminal terminal;
        try {
            terminal = stages();
        } catch (RuntimeException e) {
            terminal = failures.thrown(e);
        }
        // A run whose rows were never written was dropped (its caller got the error): nothing to end.
        if (rowsWritten()) {
            run.finish(terminal);
        }
        pipeline.metrics().ended(question.mode(), (run.cancelled() || interrupted) && terminal instanceof RunEvent.Cancelled
                ? "cancelled" : terminal instanceof RunEvent.Done ? "done" : "error");
        trace.close();
        if (interrupted) {
            Thread.currentThread().interrupt(); // after the writes: the pool gives an interrupted thread no connection
        }
        return terminal;
    }

    private boolean rowsWritten() {
        try {
            recorded.join();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private RunEvent.Terminal stages() {
        Panel p = panel != null ? panel : selectPanel();
        panel = p;
        Agent lead = p.lead();
        if (question.mode() == Mode.MODE2) {
            run.emit(new RunEvent.Progress("executing", p.members().size() == 1 ? "Answering as " + lead.displayName()
                    : "Answering as a panel of " + p.members().size() + " led by " + lead.displayName(), 40));
        }
        if (p.fusion() != null) {
            // The fusion event already named the panel (api.md §5.2 has no agent_selected after it).
            explainSelection(p.fusion());
        } else {
            run.emit(new RunEvent.AgentSelected(new RunEvent.AgentSelected.Agent(lead.id(), lead.displayName(),
                    lead.level().number(), lead.specialty(), 1.0)));
        }
        List<HistoryWindow.Turn> history = history(lead);
        if (run.cancelled()) {
            return failures.cancelled(BigDecimal.ZERO);
        }
        PassageFinder.Found found = retrieve(p);
        if (run.cancelled()) {
            return failures.cancelled(BigDecimal.ZERO);
        }
        // Said before the sources: every reasoning event precedes them (api.md §5.1).
        offline = pipeline.llm().offline();
        if (offline) {
            reason("llm_generation", lead, "Offline answer: no LLM API key is configured, so the answer quotes the "
                    + "most relevant retrieved sentences as they are, each with its citation", System.nanoTime());
        }
        if (question.includeCitations()) {
            run.emit(new RunEvent.Sources(found.display().stream().map(RunEvent.Passage::of).toList()));
        }
        // After the session's row (written behind the stream for a new session), never in front of the tokens.
        CompletableFuture<Message> userTurn = recorded.thenApplyAsync(ok -> pipeline.sessions()
                .append(caller.tenantId(), caller.userId(), session.sessionId(), NewMessage.user(question.query(), run.runId())),
                pipeline.background());
        LlmRequest request = capped(PromptBuilder.build(p, question, history, found.prompt(),
                Instant.now().plus(timeout).minusNanos(System.nanoTime() - requestNanos)));
        TokenRelay.Relayed relayed = tokens.relay(request, found.display());
        answer = relayed.text();
        cited = relayed.cited();
        interrupted = relayed.interrupted();
        userTurn.join();
        return switch (relayed.end()) {
            case LlmEvent.Completed done -> completed(done);
            case LlmEvent.Failed failed -> failed(failed);
        };
    }

    /**
     * An answer given a spending limit (a mission's delegation) gets the {@code max_tokens} that its
     * prompt leaves room for; when not even {@link #MIN_CAPPED_TOKENS} fit it is refused before the call.
     */
    private LlmRequest capped(LlmRequest request) {
        BigDecimal limit = question.maxCostUsd();
        if (limit == null) {
            return request;
        }
        return pipeline.llm().within(request, limit, MIN_CAPPED_TOKENS).orElseThrow(() -> new AskExpertException(
                ErrorCode.BUDGET_EXCEEDED, "the " + limit.stripTrailingZeros().toPlainString()
                        + " USD this answer may spend do not cover its prompt and " + MIN_CAPPED_TOKENS
                        + " tokens of answer"));
    }

    /** Mode 2: fusion picks the panel; the {@code fusion} event says who and why. */
    private Panel selectPanel() {
        run.emit(new RunEvent.Progress("fusion", "Selecting the experts for this question", 10));
        FusionResult result;
        try (Tracing.Step step = trace.step(SpanName.FUSION_SELECTION)) {
            result = pipeline.selectExperts(caller.tenantId(), question);
            step.attribute("fusion.experts", result.selectedExperts().size())
                    .attribute("fusion.degraded", String.valueOf(result.evidence().degraded()));
        }
        if (result.selectedExperts().isEmpty()) {
            throw new AskExpertException(ErrorCode.AGENT_NOT_FOUND, "no expert matched this question with enough "
                    + "confidence (FUSION_MIN_CONFIDENCE) and no fallback expert is available (FUSION_FALLBACK_ENABLED, "
                    + "FUSION_FALLBACK_EXPERT)",
                    Map.of("reason", String.valueOf(result.evidence().fallbackReason())));
        }
        RunEvent.Fusion.Evidence evidence = RunEvent.Fusion.Evidence.of(result.evidence());
        if (!question.includeEvidence()) {
            evidence = new RunEvent.Fusion.Evidence(evidence.method(), evidence.weights(), evidence.sourcesUsed(),
                    Map.of(), evidence.retrievalTimeMs(), evidence.degraded(), evidence.fallbackReason());
        }
        run.emit(new RunEvent.Fusion(result.selectedExperts(), evidence));
        List<Agent> members = new ArrayList<>();
        try (Tracing.Step step = trace.step(SpanName.AGENT_INSTANTIATION)) {
            result.selectedExperts().forEach(e -> pipeline.catalog().find(caller.tenantId(), e.id())
                    .filter(Agent::active).ifPresent(members::add));
            step.attribute("agents", members.size());
        }
        if (members.isEmpty()) {
            throw new AskExpertException(ErrorCode.AGENT_NOT_FOUND, "the selected experts are no longer active",
                    Map.of("selected", result.selectedExperts().stream().map(e -> e.id()).toList()));
        }
        return new Panel(members, result);
    }

    private void explainSelection(FusionResult result) {
        for (int i = 0; i < result.expertEvidence().size(); i++) {
            var why = result.expertEvidence().get(i);
            var who = result.selectedExperts().get(i);
            reason("expert_selection", who.name(), who.id(), who.level(), why.reasoning(), 0);
        }
    }

    /** Stored turns of the session first; the client's own history only for a session that has none. */
    private List<HistoryWindow.Turn> history(Agent lead) {
        long started = System.nanoTime();
        try (Tracing.Step step = trace.step(SpanName.CONTEXT_RESOLUTION)) {
            List<HistoryWindow.Turn> stored = session.messageCount() == 0 ? List.of()
                    : pipeline.sessions().messages(caller.tenantId(), caller.userId(), session.sessionId()).stream()
                    .map(m -> new HistoryWindow.Turn(m.role(), m.content())).toList();
            List<HistoryWindow.Turn> history = stored.isEmpty() ? question.clientHistory() : stored;
            step.attribute("history.turns", history.size());
            if (!history.isEmpty()) {
                reason("context_resolution", lead, (stored.isEmpty() ? "Using the " + history.size()
                        + " earlier turns the client sent" : "Using this session's " + history.size()
                        + " earlier turns") + ", trimmed to the model's context budget", started);
            }
            return history;
        }
    }

    private PassageFinder.Found retrieve(Panel p) {
        if (!question.enableRag()) {
            return new PassageFinder.Found(List.of(), List.of(), List.of(), 0, 0);
        }
        long started = System.nanoTime();
        try (Tracing.Step step = trace.step(SpanName.RAG_RETRIEVAL)) {
            PassageFinder.Found found = pipeline.passages().find(caller.tenantId(), p, question.query(), question.context());
            step.attribute("rag.passages", found.display().size())
                    .attribute("rag.retrieval_ms", Math.round(found.retrievalMs()))
                    .attribute("rag.embedding_ms", Math.round(found.embeddingMs()));
            reason("rag_retrieval", p.lead(), "Retrieved " + found.display().size() + " passages from "
                    + (found.namespaces().isEmpty() ? "every namespace this tenant can read"
                    : "namespaces " + String.join(", ", found.namespaces())) + " (hybrid keyword and vector search)",
                    started);
            return found;
        }
    }

    private RunEvent.Terminal completed(LlmEvent.Completed done) {
        List<RunEvent.Passage> citations = cited.stream().map(RunEvent.Passage::of).toList();
        if (question.includeCitations()) {
            citations.forEach(c -> run.emit(new RunEvent.Citation(c)));
        }
        var usage = done.usage();
        String id = SessionStore.newMessageId();
        NewMessage reply = new NewMessage("assistant", answer,
                citations.stream().map(c -> JSON.convertValue(c, MAP)).toList(), run.runId(), done.model(),
                new Message.TokenCounts(usage.inputTokens(), usage.outputTokens(), usage.cacheReadTokens(),
                        usage.cacheWriteTokens()), done.costUsd());
        cost = new RunEvent.Cost(usage.inputTokens(), usage.outputTokens(), usage.cacheReadTokens(),
                usage.cacheWriteTokens(), usage.totalTokens(), done.costUsd(),
                session.totalCostUsd().add(done.costUsd()), null);
        // Before the write: the run's row is closed in the same transaction, with done as its next event.
        run.emit(cost);
        RunEvent.Done terminal = new RunEvent.Done(true, session.sessionId(), id, run.runId(), run.elapsedMillis(),
                usage.totalTokens(), done.costUsd(), question.mode() == Mode.MODE2 ? panel().slugs() : null, null);
        pipeline.ends().storeReply(caller, session.sessionId(), run, id, reply, done, terminal);
        messageId = id;
        return terminal;
    }

    private RunEvent.Terminal failed(LlmEvent.Failed failed) {
        BigDecimal partial = pipeline.llm().cost(failed.partialUsage(), failed.model());
        pipeline.ends().billFailure(caller, session.sessionId(), run.runId(), failed, partial);
        var usage = failed.partialUsage();
        cost = new RunEvent.Cost(usage.inputTokens(), usage.outputTokens(), usage.cacheReadTokens(),
                usage.cacheWriteTokens(), usage.totalTokens(), partial, session.totalCostUsd().add(partial), null);
        if (failed.failure().kind() == LlmFailure.Kind.CANCELLED) {
            return failures.cancelled(partial); // its partial cost is in the cancelled event (api.md: no cost event)
        }
        run.emit(cost);
        return failures.modelFailed(failed);
    }

    private void reason(String step, Agent agent, String content, long startedNanos) {
        reason(step, agent.displayName(), agent.id(), agent.level().number(), content,
                Math.max(0, (System.nanoTime() - startedNanos) / 1_000_000));
    }

    private void reason(String step, String agent, String agentId, int level, String content, long durationMs) {
        RunEvent.Reasoning event = new RunEvent.Reasoning(step, agent, agentId, level, content, "completed", durationMs);
        reasoning.add(event);
        if (question.includeReasoning()) {
            run.emit(event);
        }
    }

    private Panel panel() {
        if (panel == null) {
            throw new IllegalStateException("no panel yet");
        }
        return panel;
    }

    /**
     * What the run spent: its {@code cost} event, or for a call cancelled halfway what it used until then;
     * null when it made no model call.
     */
    RunEvent.@Nullable Cost spent() {
        return cost;
    }

    /** The collected answer of a run that ended with {@code done}. */
    InteractiveAnswer answer() {
        if (cost == null) {
            throw new IllegalStateException("run " + run.runId() + " did not complete");
        }
        List<RunEvent.Passage> citations = cited.stream().map(RunEvent.Passage::of).toList();
        double confidence = cited.stream().mapToDouble(Source::confidence).average().orElse(0);
        return new InteractiveAnswer(answer, citations, reasoning, Math.round(confidence * 1000) / 1000.0,
                session.sessionId(), messageId, run.runId(), cost, run.elapsedMillis(), panel().slugs(), offline);
    }
}
