package io.askexpert.missions;

import io.askexpert.agents.Agent;
import io.askexpert.agents.AgentCatalog;
import io.askexpert.auth.TenantContext;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.errors.AskExpertException;
import io.askexpert.interactive.AnswerFailed;
import io.askexpert.interactive.InteractiveAnswer;
import io.askexpert.interactive.InteractiveRequest;
import io.askexpert.interactive.InteractiveRunner;
import io.askexpert.interactive.Question;
import io.askexpert.knowledge.Source;
import io.askexpert.llm.LlmGateway;
import io.askexpert.runs.RunEvent;
import io.askexpert.tools.InvalidToolInput;
import io.askexpert.tools.Tool;
import io.askexpert.tools.ToolInvocation;
import io.askexpert.tools.ToolOutput;
import io.askexpert.tools.ToolRefused;
import io.askexpert.tools.ToolSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * {@code consult_expert}: delegation. Another expert of the catalogue answers a focused question
 * through the mode 1 answer path (its own retrieval, prompt and model, a run of its own), and its
 * cited passages come back with the answer so the mission's report can cite them, and what it spent
 * ({@link DelegatedCost}) so the mission counts it, also when the answer failed. The mission holds the
 * answer's worst case ({@link #costBound}) and the answer may spend no more than what is held. Changes
 * nothing, so no checkpoint is needed. Records {@code ask_expert_delegation_duration_seconds{outcome}}.
 */
@Component
final class ConsultExpertTool implements Tool {

    /** The listed price: what is held when the expert cannot be found (the call then fails at once). */
    static final BigDecimal COST_USD = new BigDecimal("0.02");
    static final int MAX_TOKENS = 1_500;
    /**
     * The prompt a delegated answer is held for: the expert's prompt, six passages and a question of a
     * few paragraphs. A longer prompt leaves its answer fewer than {@link #MAX_TOKENS} tokens.
     */
    static final int PROMPT_ALLOWANCE_TOKENS = 6_000;

    private final InteractiveRunner answers;
    private final AgentCatalog catalog;
    private final LlmGateway llm;
    private final ToolSpec spec;
    private final MeterRegistry registry;

    ConsultExpertTool(InteractiveRunner answers, AgentCatalog catalog, LlmGateway llm, AskExpertSettings settings,
                      MeterRegistry registry) {
        this.answers = answers;
        this.catalog = catalog;
        this.llm = llm;
        this.registry = registry;
        Map<String, @Nullable Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", Map.of(
                "expert", Map.of("type", "string", "description", "The expert's slug (or id) in the catalogue"),
                "question", Map.of("type", "string", "description", "One focused question, with the context it needs"),
                "reason", Map.of("type", "string", "description", "Why this expert: what they add to the mission")));
        schema.put("required", List.of("expert", "question"));
        this.spec = new ToolSpec(ToolRunner.CONSULT_EXPERT, "Ask another expert of the catalogue a focused question. "
                + "Returns their answer and the passages it cites.", schema,
                settings.modes().mode1Timeout().plus(Duration.ofSeconds(15)), COST_USD, false, false);
        for (String outcome : List.of("completed", "failed")) {
            timer(outcome);
        }
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    /**
     * The answer's worst case: {@link #PROMPT_ALLOWANCE_TOKENS} of prompt and {@link #MAX_TOKENS} of answer
     * at its expert's model (or the dearest its call may fall back to). The mission holds this, and
     * {@link #run} caps the answer at what was held.
     */
    @Override
    public BigDecimal costBound(ToolInvocation invocation) {
        try {
            Agent expert = catalog.activeForAnswer(invocation.tenantId(), expert(invocation));
            return llm.maxCost(expert.model(), PROMPT_ALLOWANCE_TOKENS, MAX_TOKENS);
        } catch (AskExpertException e) {
            return COST_USD;
        }
    }

    private static String expert(ToolInvocation invocation) {
        return String.valueOf(invocation.input().get("expert")).strip();
    }

    @Override
    public ToolOutput run(ToolInvocation invocation) {
        String expert = expert(invocation);
        String question = String.valueOf(invocation.input().get("question")).strip();
        if (question.length() > InteractiveRequest.MAX_QUERY) {
            question = question.substring(0, InteractiveRequest.MAX_QUERY);
        }
        Map<String, String> context = invocation.missionId() == null ? Map.of()
                : Map.of("mission_id", invocation.missionId().toString());
        Question q = new Question(io.askexpert.config.Mode.MODE1, question, expert, null, List.of(), true, false, true, MAX_TOKENS, true, false,
                false, 1, false, null, context, invocation.spendLimitUsd());
        long start = System.nanoTime();
        String outcome = "failed";
        try {
            InteractiveAnswer a = answers.ask(new TenantContext(invocation.tenantId(), invocation.userId(), false), q,
                    "delegation-" + invocation.idempotencyKey());
            outcome = "completed";
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("expert", expert);
            value.put("answer", a.response());
            value.put("confidence", a.confidence());
            value.put("offline", a.offline());
            value.put("run_id", a.runId());
            // What the answer spent: the mission counts it (its own run wrote the cost row, filed under the mission).
            RunEvent.Cost spent = a.cost();
            if (spent != null) {
                value.put(DelegatedCost.FIELD, new DelegatedCost(a.runId(), new io.askexpert.llm.Usage(spent.inputTokens(),
                        spent.outputTokens(), spent.cacheReadTokens(), spent.cacheWriteTokens()),
                        spent.estimatedCost()).usage());
            }
            return new ToolOutput(value, a.citations().stream().map(ConsultExpertTool::source).toList());
        } catch (AnswerFailed e) {
            // The answer's run began (a model call, maybe): what it spent is the mission's as well.
            throw new ToolRefused(expert + " could not answer (" + e.code().name() + "): " + e.getMessage(),
                    DelegatedCost.detail(new DelegatedCost(e.runId(), e.tokens(), e.costUsd())));
        } catch (AskExpertException e) {
            // Its message is written for users (AGENT_NOT_FOUND names the slug): the model may read it.
            throw switch (e.code()) {
                case AGENT_NOT_FOUND, VALIDATION_ERROR -> new InvalidToolInput(e.getMessage());
                default -> new ToolRefused(expert + " could not answer (" + e.code().name() + "): " + e.getMessage());
            };
        } finally {
            timer(outcome).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(String outcome) {
        return Timer.builder("ask_expert.delegation.duration").description("A delegated question, asked to answered")
                .tag("outcome", outcome).publishPercentileHistogram().register(registry);
    }

    static Source source(RunEvent.Passage p) {
        return new Source(p.id(), p.index(), p.source(), p.title(), p.excerpt(), p.url(), p.confidence(),
                p.documentId(), p.chunkId(), p.metadata());
    }
}
