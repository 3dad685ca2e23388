package io.askexpert.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.observability.Tracing;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ToolRegistryTest {

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final Tracing tracing = new Tracing(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(spans)).build().get("test"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CountDownLatch interrupted = new CountDownLatch(1);

    /** A tool with a schema that uses every keyword the check knows. */
    private final Tool echo = tool("echo", Duration.ofSeconds(5), Map.of("type", "object",
            "properties", Map.of(
                    "text", Map.of("type", "string", "maxLength", 10),
                    "count", Map.of("type", "integer", "minimum", 1, "maximum", 5),
                    "ratio", Map.of("type", "number"),
                    "loud", Map.of("type", "boolean"),
                    "mode", Map.of("type", "string", "enum", List.of("plain", "fancy")),
                    "tags", Map.of("type", "array", "maxItems", 2, "items", Map.of("type", "string")),
                    "options", Map.of("type", "object", "properties", Map.of("depth", Map.of("type", "integer")),
                            "required", List.of("depth"))),
            "required", List.of("text"),
            "additionalProperties", false), invocation -> ToolOutput.of(invocation.input()));

    private final Tool sleeper = tool("sleeper", Duration.ofMillis(200), Map.of("type", "object"), invocation -> {
        try {
            Thread.sleep(Duration.ofMinutes(1));
        } catch (InterruptedException e) {
            interrupted.countDown();
            throw new IllegalStateException("interrupted");
        }
        return ToolOutput.of("never");
    });

    private final Tool leaky = tool("leaky", Duration.ofSeconds(5), Map.of("type", "object"), invocation -> {
        throw new IllegalStateException("connection to postgres://admin:s3cret@db failed");
    });

    private final Tool refusing = tool("refusing", Duration.ofSeconds(5), Map.of("type", "object"), invocation -> {
        throw new ToolRefused("that host is not allowed");
    });

    private final ToolRegistry registry = new ToolRegistry(List.of(sleeper, echo, leaky, refusing), tracing, meters);

    @AfterEach
    void close() {
        registry.close();
    }

    private static Tool tool(String name, Duration timeout, Map<String, @Nullable Object> schema,
                             Function<ToolInvocation, ToolOutput> body) {
        ToolSpec spec = new ToolSpec(name, "test tool " + name, schema, timeout, BigDecimal.ZERO, false, false);
        return new Tool() {
            @Override
            public ToolSpec spec() {
                return spec;
            }

            @Override
            public ToolOutput run(ToolInvocation invocation) {
                return body.apply(invocation);
            }
        };
    }

    private static ToolInvocation call(Map<String, @Nullable Object> input) {
        return new ToolInvocation("toolu_01", "mission-1/step-1/tool/toolu_01", "tenant-a", "user-1", UUID.randomUUID(), input);
    }

    @Test
    void a_valid_call_succeeds_with_the_tools_output() {
        ToolResult result = registry.execute("echo", call(Map.of("text", "hello", "count", 3, "ratio", 0.5, "loud", true,
                "mode", "fancy", "tags", List.of("a", "b"), "options", Map.of("depth", 2))));
        assertThat(result).isInstanceOfSatisfying(ToolResult.Succeeded.class,
                s -> assertThat(s.output().value()).isEqualTo(Map.of("text", "hello", "count", 3, "ratio", 0.5, "loud", true,
                        "mode", "fancy", "tags", List.of("a", "b"), "options", Map.of("depth", 2))));
    }

    static Stream<Arguments> invalidInputs() {
        return Stream.of(
                Arguments.of(Map.of(), "text is required"),
                Arguments.of(Map.of("text", 5), "text must be a string"),
                Arguments.of(Map.of("text", "far too long for ten"), "text must be at most 10 characters (has 20)"),
                Arguments.of(Map.of("text", "x", "count", "3"), "count must be an integer"),
                Arguments.of(Map.of("text", "x", "count", 2.5), "count must be an integer"),
                Arguments.of(Map.of("text", "x", "count", 9), "count must be at most 5"),
                Arguments.of(Map.of("text", "x", "ratio", "half"), "ratio must be a number"),
                Arguments.of(Map.of("text", "x", "loud", "yes"), "loud must be true or false"),
                Arguments.of(Map.of("text", "x", "mode", "shiny"), "mode must be one of [plain, fancy]"),
                Arguments.of(Map.of("text", "x", "tags", List.of("a", "b", "c")), "tags must have at most 2 items"),
                Arguments.of(Map.of("text", "x", "tags", List.of("a", 1)), "tags[1] must be a string"),
                Arguments.of(Map.of("text", "x", "options", Map.of()), "options.depth is required"),
                Arguments.of(Map.of("text", "x", "options", Map.of("depth", "deep")), "options.depth must be an integer"),
                Arguments.of(Map.of("text", "x", "colour", "red"), "colour is not a known field"));
    }

    @ParameterizedTest
    @MethodSource("invalidInputs")
    void input_that_breaks_the_schema_is_refused_naming_the_field(Map<String, @Nullable Object> input, String reason) {
        ToolResult result = registry.execute("echo", call(input));
        assertThat(result).isInstanceOfSatisfying(ToolResult.Failed.class, f -> {
            assertThat(f.failure()).isEqualTo(ToolFailure.INVALID_INPUT);
            assertThat(f.reason()).isEqualTo("invalid input for echo: " + reason);
        });
    }

    @Test
    void integral_numbers_and_optional_nulls_are_accepted_as_json_means_them() {
        Map<String, @Nullable Object> input = new HashMap<>();
        input.put("text", "x");
        input.put("count", 3.0);
        input.put("mode", null);
        assertThat(registry.execute("echo", call(input))).isInstanceOf(ToolResult.Succeeded.class);
    }

    @Test
    void an_unknown_tool_is_a_failure_listing_the_known_ones() {
        ToolResult result = registry.execute("rm_rf", call(Map.of()));
        assertThat(result).isInstanceOfSatisfying(ToolResult.Failed.class, f -> {
            assertThat(f.failure()).isEqualTo(ToolFailure.UNKNOWN_TOOL);
            assertThat(f.reason()).contains("rm_rf").contains("echo, leaky, refusing, sleeper");
        });
        assertThat(meters.find("ask_expert.tool.duration").tags("tool", "unknown", "outcome", "unknown_tool").timer()).isNotNull();
    }

    @Test
    void a_refusal_keeps_what_the_tool_reports_with_it_and_a_tools_cost_bound_is_its_price_by_default() {
        Tool reporting = tool("reporting", Duration.ofSeconds(5), Map.of("type", "object"), invocation -> {
            throw new ToolRefused("the expert could not answer", Map.of("run_id", "run-1"));
        });
        try (ToolRegistry own = new ToolRegistry(List.of(reporting), tracing, meters)) {
            assertThat(own.execute("reporting", call(Map.of()))).isInstanceOfSatisfying(ToolResult.Failed.class, f -> {
                assertThat(f.failure()).isEqualTo(ToolFailure.REFUSED);
                assertThat(f.reason()).isEqualTo("the expert could not answer");
                assertThat(f.detail()).isEqualTo(Map.of("run_id", "run-1"));
            });
            assertThat(own.costBound("reporting", call(Map.of()))).isEqualByComparingTo("0");
            assertThat(own.costBound("no-such-tool", call(Map.of()))).isEqualByComparingTo("0");
        }
        assertThat(registry.execute("refusing", call(Map.of()))).isInstanceOfSatisfying(ToolResult.Failed.class,
                f -> assertThat(f.detail()).isNull());
    }

    @Test
    void a_call_past_its_timeout_is_interrupted_and_reported() throws InterruptedException {
        ToolResult result = registry.execute("sleeper", call(Map.of()));
        assertThat(result).isInstanceOfSatisfying(ToolResult.Failed.class, f -> {
            assertThat(f.failure()).isEqualTo(ToolFailure.TIMEOUT);
            assertThat(f.reason()).isEqualTo("sleeper did not finish within 200 ms");
            assertThat(f.durationMs()).isGreaterThanOrEqualTo(200);
        });
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the tool's thread was interrupted").isTrue();
    }

    @Test
    void a_caller_interrupted_during_a_call_stops_the_tool_and_gets_what_it_reports_as_it_stops() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        Tool answering = tool("answering", Duration.ofSeconds(30), Map.of("type", "object"), invocation -> {
            running.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(1));
                return ToolOutput.of("never");
            } catch (InterruptedException e) {
                throw new ToolRefused("the answer was cancelled", Map.of("run_id", "run-stopped", "cost_usd", "0.003"));
            }
        });
        try (ToolRegistry own = new ToolRegistry(List.of(answering), tracing, meters)) {
            ToolResult[] result = new ToolResult[1];
            boolean[] stillInterrupted = new boolean[1];
            Thread caller = Thread.ofVirtual().start(() -> {
                result[0] = own.execute("answering", call(Map.of()));
                stillInterrupted[0] = Thread.currentThread().isInterrupted();
            });
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            caller.interrupt();
            caller.join(Duration.ofSeconds(10));

            assertThat(result[0]).isInstanceOfSatisfying(ToolResult.Failed.class, f -> {
                assertThat(f.failure()).isEqualTo(ToolFailure.ERROR);
                assertThat(f.reason()).isEqualTo("answering was stopped before it finished");
                assertThat(f.detail()).isEqualTo(Map.of("run_id", "run-stopped", "cost_usd", "0.003"));
            });
            assertThat(stillInterrupted[0]).as("the caller still sees its interrupt").isTrue();
        }
    }

    @Test
    void a_tool_that_times_out_on_its_own_just_before_the_deadline_is_a_timeout_too() {
        Tool boundedByItself = tool("bounded", Duration.ofSeconds(5), Map.of("type", "object"), invocation -> {
            throw new IllegalStateException("Timeout on blocking read", new java.util.concurrent.TimeoutException("3 s"));
        });
        try (ToolRegistry own = new ToolRegistry(List.of(boundedByItself), tracing, meters)) {
            assertThat(own.execute("bounded", call(Map.of()))).isInstanceOfSatisfying(ToolResult.Failed.class, f -> {
                assertThat(f.failure()).isEqualTo(ToolFailure.TIMEOUT);
                assertThat(f.reason()).isEqualTo("bounded did not finish within 5 s");
            });
        }
    }

    @Test
    void an_exception_becomes_a_safe_error_without_its_message() {
        ToolResult result = registry.execute("leaky", call(Map.of()));
        assertThat(result).isInstanceOfSatisfying(ToolResult.Failed.class, f -> {
            assertThat(f.failure()).isEqualTo(ToolFailure.ERROR);
            assertThat(f.reason()).isEqualTo("leaky failed (IllegalStateException)").doesNotContain("s3cret");
        });
    }

    @Test
    void a_refusal_keeps_the_tools_own_message() {
        assertThat(registry.execute("refusing", call(Map.of()))).isInstanceOfSatisfying(ToolResult.Failed.class, f -> {
            assertThat(f.failure()).isEqualTo(ToolFailure.REFUSED);
            assertThat(f.reason()).isEqualTo("that host is not allowed");
        });
    }

    @Test
    void each_call_is_one_tool_execution_span_and_one_timer_sample() {
        ToolInvocation invocation = call(Map.of("text", "hi"));
        registry.execute("echo", invocation);
        registry.execute("echo", call(Map.of()));

        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished).extracting(SpanData::getName).containsExactly("tool_execution", "tool_execution");
        SpanData first = finished.getFirst();
        assertThat(first.getAttributes().get(AttributeKey.stringKey("tool.name"))).isEqualTo("echo");
        assertThat(first.getAttributes().get(AttributeKey.stringKey("mission.id"))).isEqualTo(invocation.missionId().toString());
        assertThat(first.getAttributes().get(AttributeKey.stringKey("tool.outcome"))).isEqualTo("succeeded");
        assertThat(first.getAttributes().get(AttributeKey.stringKey("langfuse.observation.type"))).isEqualTo("tool");
        assertThat(finished.get(1).getAttributes().get(AttributeKey.stringKey("tool.outcome"))).isEqualTo("invalid_input");

        Timer ok = meters.find("ask_expert.tool.duration").tags("tool", "echo", "outcome", "succeeded").timer();
        Timer bad = meters.find("ask_expert.tool.duration").tags("tool", "echo", "outcome", "invalid_input").timer();
        assertThat(ok).isNotNull();
        assertThat(bad).isNotNull();
        assertThat(ok.count()).isEqualTo(1);
        assertThat(bad.count()).isEqualTo(1);
    }

    @Test
    void a_span_inside_a_mission_trace_is_its_child() {
        try (Tracing.Trace trace = tracing.start("mode3", "mission-abc", "user-1", "req-1")) {
            registry.execute("echo", call(Map.of("text", "hi")), trace);
        }
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished).extracting(SpanData::getName).containsExactly("tool_execution", "ask_expert_mode3_mission-");
        assertThat(finished.getFirst().getParentSpanId()).isEqualTo(finished.getLast().getSpanId());
    }

    @Test
    void specs_are_listed_by_name_and_two_tools_may_not_share_one() {
        assertThat(registry.specs()).extracting(ToolSpec::name).containsExactly("echo", "leaky", "refusing", "sleeper");
        assertThat(registry.spec("echo")).get().extracting(s -> s.llmTool().name()).isEqualTo("echo");
        assertThat(registry.spec("nope")).isEmpty();
        assertThatThrownBy(() -> new ToolRegistry(List.of(echo, echo), tracing, meters))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("echo");
    }
}
