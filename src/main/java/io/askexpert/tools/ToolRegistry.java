package io.askexpert.tools;

import io.askexpert.observability.SpanName;
import io.askexpert.observability.Tracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.net.http.HttpTimeoutException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Entry point of tools: every {@link Tool} bean, by name. {@link #execute} checks the input against
 * the tool's schema, runs the tool on a virtual thread of its own and interrupts it at the spec's
 * timeout or when the caller is interrupted (then waiting a few seconds at most for the tool to stop,
 * so that what it reports as it stops reaches the caller), and turns every way a call can end into a
 * {@link ToolResult}: it never throws. Each call is one span {@code tool_execution} (tool name, call
 * id, mission id, outcome) and one sample of {@code ask_expert_tool_duration_seconds{tool,outcome}}.
 * A failure's reason is safe to show: a tool's own {@link ToolRefused} or {@link InvalidToolInput}
 * message, otherwise a generic sentence naming the exception's type, never its message or stack trace
 * (which may carry a URL or a secret).
 */
@Service
public class ToolRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ToolRegistry.class);
    /** The metric tag for names no tool has, so a model inventing names cannot grow the series without bound. */
    private static final String UNKNOWN = "unknown";
    /** How long a caller that was interrupted waits for its tool to stop and say what it had spent. */
    private static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(5);

    private final Map<String, Tool> tools;
    private final Tracing tracing;
    private final MeterRegistry meters;
    private final ExecutorService runner = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("tool-", 0).factory());

    public ToolRegistry(List<Tool> tools, Tracing tracing, MeterRegistry meters) {
        Map<String, Tool> byName = new LinkedHashMap<>();
        tools.stream().sorted(Comparator.comparing(t -> t.spec().name())).forEach(tool -> {
            if (byName.putIfAbsent(tool.spec().name(), tool) != null) {
                throw new IllegalStateException("two tools are named " + tool.spec().name());
            }
        });
        this.tools = java.util.Collections.unmodifiableMap(byName);
        this.tracing = tracing;
        this.meters = meters;
        // Exported before the first call, so dashboards and alerts find the series on a fresh instance.
        this.tools.keySet().forEach(name -> durations(name, "succeeded"));
    }

    private Timer durations(String tool, String outcome) {
        return Timer.builder("ask_expert.tool.duration").description("Tool calls by tool and outcome")
                .tag("tool", tool).tag("outcome", outcome).publishPercentileHistogram()
                .minimumExpectedValue(java.time.Duration.ofMillis(1)).maximumExpectedValue(java.time.Duration.ofMinutes(5))
                .register(meters);
    }

    public Optional<ToolSpec> spec(String name) {
        return Optional.ofNullable(tools.get(name)).map(Tool::spec);
    }

    /** What a call of {@code name} can cost at most ({@link Tool#costBound}); zero for an unknown tool. */
    public BigDecimal costBound(String name, ToolInvocation invocation) {
        Tool tool = tools.get(name);
        return tool == null ? BigDecimal.ZERO : tool.costBound(invocation);
    }

    /** Every tool's spec, by name. */
    public List<ToolSpec> specs() {
        return tools.values().stream().map(Tool::spec).sorted(Comparator.comparing(ToolSpec::name)).toList();
    }

    /** Runs one call; its span is a child of the span current on this thread, if any. */
    public ToolResult execute(String name, ToolInvocation invocation) {
        try (Tracing.Step span = tracing.span(SpanName.TOOL_EXECUTION)) {
            return execute(name, invocation, span);
        }
    }

    /** Runs one call with its span inside {@code trace} (a mission's trace). */
    public ToolResult execute(String name, ToolInvocation invocation, Tracing.Trace trace) {
        try (Tracing.Step span = trace.step(SpanName.TOOL_EXECUTION)) {
            return execute(name, invocation, span);
        }
    }

    /**
     * Runs a tool this registry does not hold, with the same checks, span and metric: a tenant's MCP
     * tool ({@code McpTools.forTenant}). Its metric tag is {@code mcp}, not its name, so tenants'
     * tool names cannot grow the series without bound.
     */
    public ToolResult execute(Tool tool, ToolInvocation invocation, Tracing.Trace trace) {
        try (Tracing.Step span = trace.step(SpanName.TOOL_EXECUTION)) {
            return execute(tool.spec().name(), tool, invocation, span);
        }
    }

    /** As {@link #execute(Tool, ToolInvocation, Tracing.Trace)}, its span a child of the current one. */
    public ToolResult execute(Tool tool, ToolInvocation invocation) {
        try (Tracing.Step span = tracing.span(SpanName.TOOL_EXECUTION)) {
            return execute(tool.spec().name(), tool, invocation, span);
        }
    }

    private ToolResult execute(String name, ToolInvocation invocation, Tracing.Step span) {
        return execute(name, tools.get(name), invocation, span);
    }

    private ToolResult execute(String name, @Nullable Tool tool, ToolInvocation invocation, Tracing.Step span) {
        long start = System.nanoTime();
        String tag = tool == null ? UNKNOWN : tools.get(name) == tool ? name : "mcp";
        span.attribute("tool.name", tool == null ? UNKNOWN : name).attribute("tool.call_id", invocation.callId());
        if (invocation.missionId() != null) {
            span.attribute("mission.id", invocation.missionId().toString());
        }
        ToolResult result = tool == null
                ? new ToolResult.Failed(name, ToolFailure.UNKNOWN_TOOL, "there is no tool named '" + clip(name) + "'; known tools: "
                        + String.join(", ", tools.keySet()), elapsedMs(start))
                : run(tool, invocation, start);
        String outcome = switch (result) {
            case ToolResult.Succeeded s -> "succeeded";
            case ToolResult.Failed f -> f.failure().name().toLowerCase(Locale.ROOT);
        };
        span.attribute("tool.outcome", outcome);
        if (result instanceof ToolResult.Failed f) {
            span.fail(f.failure().name());
        }
        durations(tag, outcome).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return result;
    }

    private ToolResult run(Tool tool, ToolInvocation invocation, long start) {
        ToolSpec spec = tool.spec();
        Optional<String> problem = InputSchema.check(spec.inputSchema(), invocation.input());
        if (problem.isPresent()) {
            return failed(spec, ToolFailure.INVALID_INPUT, "invalid input for " + spec.name() + ": " + problem.get(), start);
        }
        // How the tool itself ended, also after its Future was cancelled (which forgets the outcome).
        CompletableFuture<ToolOutput> ended = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
        Future<ToolOutput> call = runner.submit(() -> {
            started.set(true);
            try {
                ToolOutput output = tool.run(invocation);
                ended.complete(output);
                return output;
            } catch (Throwable t) {
                ended.completeExceptionally(t);
                throw t;
            }
        });
        try {
            ToolOutput output = call.get(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (output == null) {
                return failed(spec, ToolFailure.ERROR, spec.name() + " returned nothing", start);
            }
            return new ToolResult.Succeeded(spec.name(), output, elapsedMs(start));
        } catch (TimeoutException e) {
            call.cancel(true); // interrupts the tool's thread: blocking I/O and sleeps end there
            return failed(spec, ToolFailure.TIMEOUT, spec.name() + " did not finish within " + seconds(spec), start);
        } catch (InterruptedException e) {
            // The caller was interrupted (its mission was cancelled or paused): the tool stops too, and what it
            // reports as it stops (a delegation: what its answer spent until then) goes back with the failure.
            call.cancel(true);
            // A call cancelled before its thread began never runs: there is nothing to wait for.
            @Nullable Object detail = started.get() ? detailOnceStopped(ended) : null;
            Thread.currentThread().interrupt();
            return new ToolResult.Failed(spec.name(), ToolFailure.ERROR, spec.name() + " was stopped before it finished",
                    elapsedMs(start), detail);
        } catch (ExecutionException e) {
            return failure(spec, e.getCause(), start);
        }
    }

    private ToolResult failure(ToolSpec spec, @Nullable Throwable cause, long start) {
        return switch (cause) {
            case ToolRefused r -> new ToolResult.Failed(spec.name(), ToolFailure.REFUSED, r.getMessage(), elapsedMs(start),
                    r.detail());
            case InvalidToolInput i -> failed(spec, ToolFailure.INVALID_INPUT, i.getMessage(), start);
            case HttpTimeoutException t -> failed(spec, ToolFailure.TIMEOUT, spec.name() + ": the other side did not answer in time", start);
            case null -> failed(spec, ToolFailure.ERROR, spec.name() + " failed", start);
            // A tool whose own bound equals the deadline (an MCP call) may time out a moment before it does.
            case Throwable t when timedOut(t) -> failed(spec, ToolFailure.TIMEOUT, spec.name() + " did not finish within "
                    + seconds(spec), start);
            default -> {
                log.warn("Tool {} failed: {}", spec.name(), cause.getClass().getName());
                yield failed(spec, ToolFailure.ERROR, spec.name() + " failed (" + cause.getClass().getSimpleName() + ")", start);
            }
        };
    }

    /**
     * Waits up to {@link #STOP_GRACE} for an interrupted tool to end, and returns what its refusal reports
     * ({@link ToolRefused#detail}); null when it reports nothing, ends otherwise or not in time.
     */
    private static @Nullable Object detailOnceStopped(CompletableFuture<ToolOutput> ended) {
        try {
            ended.get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause() instanceof ToolRefused r ? r.detail() : null;
        } catch (TimeoutException | InterruptedException e) {
            return null;
        }
    }

    private static boolean timedOut(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof java.util.concurrent.TimeoutException || c instanceof HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static ToolResult.Failed failed(ToolSpec spec, ToolFailure failure, @Nullable String reason, long start) {
        return new ToolResult.Failed(spec.name(), failure, reason == null ? spec.name() + " failed" : reason, elapsedMs(start));
    }

    private static String seconds(ToolSpec spec) {
        long ms = spec.timeout().toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    private static String clip(String name) {
        return name.length() <= 64 ? name : name.substring(0, 64) + "…";
    }

    private static long elapsedMs(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
