package io.askexpert.interactive;

import io.askexpert.config.Mode;
import io.askexpert.knowledge.Source;
import io.askexpert.llm.LlmCall;
import io.askexpert.llm.LlmEvent;
import io.askexpert.llm.LlmRequest;
import io.askexpert.llm.Usage;
import io.askexpert.observability.SpanName;
import io.askexpert.observability.Tracing;
import io.askexpert.runs.KnownCost;
import io.askexpert.runs.RunEvent;
import io.askexpert.runs.RunHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The model call of one run: its text relayed as {@code token} events as it arrives, the passages
 * it cites found on the way, a cancel of the run passed on to the call, and the call's usage on
 * the trace. Until the provider reports usage the run can tell a reaper what the call has cost.
 */
final class TokenRelay {

    /**
     * What the model said, the passages it cited in order of first citation, how its call ended, and
     * whether the thread waiting for it was interrupted (the call was then cancelled, and the flag is
     * the caller's to set again once the run's ending is written).
     */
    record Relayed(LlmEvent.Terminal end, String text, List<Source> cited, boolean interrupted) {
    }

    private final Pipeline pipeline;
    private final RunHandle run;
    private final Tracing.Trace trace;
    private final Mode mode;
    private final long requestNanos;

    TokenRelay(Pipeline pipeline, RunHandle run, Tracing.Trace trace, Mode mode, long requestNanos) {
        this.pipeline = pipeline;
        this.run = run;
        this.trace = trace;
        this.mode = mode;
        this.requestNanos = requestNanos;
    }

    Relayed relay(LlmRequest request, List<Source> passages) {
        CitationTracker tracker = new CitationTracker(passages);
        StringBuilder text = new StringBuilder();
        List<Source> cited = new ArrayList<>();
        int[] index = {0};
        reportCostSoFar(request, index);
        try (Tracing.Step step = trace.step(SpanName.LLM_GENERATION)) {
            LlmCall call = pipeline.llm().stream(request, event -> {
                if (event instanceof LlmEvent.TextDelta delta && !delta.text().isEmpty()) {
                    if (index[0] == 0) {
                        pipeline.metrics().firstToken(mode, Duration.ofNanos(System.nanoTime() - requestNanos));
                    }
                    text.append(delta.text());
                    cited.addAll(tracker.accept(delta.text()));
                    run.emit(new RunEvent.Token(delta.text(), index[0]++));
                }
            });
            run.onCancel(call::cancel);
            boolean interrupted = false;
            LlmEvent.Terminal end;
            try {
                end = call.terminal().get();
            } catch (InterruptedException e) {
                // The thread asking was stopped (a mission's delegation, paused or cancelled): the call is
                // cancelled like any run's, so it ends at once with what it used, and that is billed.
                interrupted = true;
                call.cancel();
                end = call.terminal().join();
            } catch (ExecutionException e) {
                throw new CompletionException(e.getCause());
            }
            cited.addAll(tracker.finish());
            step.attribute("llm.tokens_relayed", index[0]);
            switch (end) {
                case LlmEvent.Completed c -> step.attribute("llm.model", c.model()).attribute("llm.provider", c.provider())
                        .attribute("llm.input_tokens", c.usage().inputTokens())
                        .attribute("llm.output_tokens", c.usage().outputTokens())
                        .generation(c.provider(), c.model(), c.usage().inputTokens(), c.usage().outputTokens(),
                                c.usage().cacheReadTokens(), c.usage().cacheWriteTokens(), c.costUsd());
                case LlmEvent.Failed f -> {
                    step.generation(f.provider(), f.model(), f.partialUsage().inputTokens(), f.partialUsage().outputTokens(),
                            f.partialUsage().cacheReadTokens(), f.partialUsage().cacheWriteTokens(),
                            pipeline.llm().cost(f.partialUsage(), f.model()));
                    step.fail(f.failure().kind().name());
                }
            }
            return new Relayed(end, text.toString(), List.copyOf(cited), interrupted);
        }
    }

    /**
     * What this call will have cost if the instance dies before the provider reports its usage:
     * the prompt's estimated input tokens and one output token per relayed delta (as the gateway
     * counts a broken-off stream), priced for the model asked for.
     */
    private void reportCostSoFar(LlmRequest request, int[] deltas) {
        String model = request.model() != null ? request.model() : pipeline.llm().defaultModel();
        String provider = pipeline.llm().offline() ? "offline"
                : model.contains(":") ? model.substring(0, model.indexOf(':')) : "unknown";
        long input = HistoryWindow.estimateTokens(request.systemWithSources()) + request.messages().stream()
                .mapToLong(m -> HistoryWindow.estimateTokens(m.text())).sum();
        run.reportCost(() -> {
            Usage usage = new Usage(input, deltas[0], 0, 0);
            return new KnownCost(model, provider, usage, pipeline.llm().cost(usage, model));
        });
    }
}
