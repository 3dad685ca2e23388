package io.askexpert.missions;

import io.askexpert.cost.CostRecord;
import io.askexpert.observability.SpanName;
import io.askexpert.observability.Tracing;
import io.askexpert.runs.RunEvent;
import io.opentelemetry.context.Scope;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Turns the executor's {@code step_started} / {@code step_completed} events into a span per step
 * ({@code mission_step}, under the attempt's trace) and into
 * {@code ask_expert_mission_step_duration_seconds{mode,outcome}}: the engine measures steps without
 * the executor having to. The step under way holds the spans of its work: a model call's
 * {@code llm_generation} (from its reservation to its settlement) and, while a recorded call runs
 * with the step made current ({@link #enter()}), the tool registry's {@code tool_execution}.
 */
final class StepSpans implements AutoCloseable {

    private record Open(Tracing.Step span, long startNanos) {
    }

    private final Tracing.Trace trace;
    private final MissionMetrics metrics;
    private final MissionMode mode;
    private final Map<String, Open> open = new ConcurrentHashMap<>();
    /** The step under way on each thread (a team's members may work steps on threads of their own). */
    private final ThreadLocal<@Nullable Open> current = new ThreadLocal<>();
    private final Map<UUID, Tracing.Step> generations = new ConcurrentHashMap<>();

    StepSpans(Tracing.Trace trace, MissionMetrics metrics, MissionMode mode) {
        this.trace = trace;
        this.metrics = metrics;
        this.mode = mode;
    }

    void observe(RunEvent event) {
        switch (event) {
            case RunEvent.StepStarted s -> current.set(open.computeIfAbsent(s.stepId(), id -> new Open(
                    trace.span("mission_step").attribute("step_id", id).attribute("step_name", s.name()), System.nanoTime())));
            case RunEvent.StepCompleted c -> {
                Open o = open.remove(c.stepId());
                if (o != null) {
                    if (current.get() == o) {
                        current.remove();
                    }
                    if (!c.status().equals("completed")) {
                        o.span().fail(c.status());
                    }
                    o.span().close();
                    metrics.step(mode, c.status(), System.nanoTime() - o.startNanos());
                }
            }
            default -> {
                // other events are not steps
            }
        }
    }

    /** Makes the step under way on this thread (else the trace's root) the current span until the scope closes. */
    Scope enter() {
        Open o = current.get();
        return o == null ? trace.activate() : o.span().activate();
    }

    /** A model call reserved its budget: its generation span starts, under the step under way. */
    void generationStarted(UUID reservationId) {
        Open o = current.get();
        Tracing.Step old = generations.put(reservationId, trace.step(SpanName.LLM_GENERATION, o == null ? null : o.span()));
        if (old != null) {
            old.close();
        }
    }

    /** The model call settled: its generation span gets the model, usage and cost and ends. */
    void generationEnded(UUID reservationId, BigDecimal costUsd, @Nullable ModelUsage usage) {
        Tracing.Step g = generations.remove(reservationId);
        if (g == null) {
            return;
        }
        if (usage != null) {
            g.generation(usage.provider(), usage.model(), usage.tokens().inputTokens(), usage.tokens().outputTokens(),
                    usage.tokens().cacheReadTokens(), usage.tokens().cacheWriteTokens(), costUsd);
        }
        if (usage == null || usage.outcome() != CostRecord.Outcome.COMPLETED) {
            g.fail(usage == null ? "cancelled" : usage.outcome().name());
        }
        g.close();
    }

    /** Ends the spans of steps the attempt left unfinished (suspended, lost, failed). */
    @Override
    public void close() {
        generations.values().forEach(g -> {
            g.fail("interrupted");
            g.close();
        });
        generations.clear();
        open.values().forEach(o -> {
            o.span().fail("interrupted");
            o.span().close();
            metrics.step(mode, "interrupted", System.nanoTime() - o.startNanos());
        });
        open.clear();
        trace.close();
    }
}
