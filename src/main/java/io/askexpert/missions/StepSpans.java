package io.askexpert.missions;

import io.askexpert.observability.Tracing;
import io.askexpert.runs.RunEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the executor's {@code step_started} / {@code step_completed} events into a span per step
 * ({@code mission_step}, under the attempt's trace) and into
 * {@code ask_expert_mission_step_duration_seconds{mode,outcome}}: the engine measures steps without
 * the executor having to.
 */
final class StepSpans implements AutoCloseable {

    private record Open(Tracing.Step span, long startNanos) {
    }

    private final Tracing.Trace trace;
    private final MissionMetrics metrics;
    private final MissionMode mode;
    private final Map<String, Open> open = new ConcurrentHashMap<>();

    StepSpans(Tracing.Trace trace, MissionMetrics metrics, MissionMode mode) {
        this.trace = trace;
        this.metrics = metrics;
        this.mode = mode;
    }

    void observe(RunEvent event) {
        switch (event) {
            case RunEvent.StepStarted s -> open.computeIfAbsent(s.stepId(), id -> new Open(
                    trace.span("mission_step").attribute("step_id", id).attribute("step_name", s.name()), System.nanoTime()));
            case RunEvent.StepCompleted c -> {
                Open o = open.remove(c.stepId());
                if (o != null) {
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

    /** Ends the spans of steps the attempt left unfinished (suspended, lost, failed). */
    @Override
    public void close() {
        open.values().forEach(o -> {
            o.span().fail("interrupted");
            o.span().close();
            metrics.step(mode, "interrupted", System.nanoTime() - o.startNanos());
        });
        open.clear();
        trace.close();
    }
}
