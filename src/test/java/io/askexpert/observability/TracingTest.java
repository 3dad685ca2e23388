package io.askexpert.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

class TracingTest {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final Tracing tracing = new Tracing(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build().get("test"));

    @Test
    void trace_name_follows_the_runbook_convention() {
        assertThat(Tracing.traceName("mode1", "3f2a9c1e-77aa-4d1b")).isEqualTo("ask_expert_mode1_3f2a9c1e");
        assertThat(Tracing.traceName("mode2", "abc")).isEqualTo("ask_expert_mode2_abc");
    }

    @Test
    void steps_are_children_of_the_request_trace_with_runbook_span_names() {
        try (Tracing.Trace trace = tracing.start("mode1", "3f2a9c1e-77aa", "user-1", "req-1")) {
            try (var step = trace.step(SpanName.RAG_RETRIEVAL)) {
                step.attribute("results", 5);
            }
            try (var step = trace.step(SpanName.LLM_GENERATION)) {
                step.attribute("model", "claude-sonnet-4-20250514");
            }
        }
        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(spans).extracting(SpanData::getName)
                .containsExactly("rag_retrieval", "llm_generation", "ask_expert_mode1_3f2a9c1e");
        SpanData root = spans.getLast();
        assertThat(spans.subList(0, 2)).allMatch(s -> s.getParentSpanId().equals(root.getSpanId())
                && s.getTraceId().equals(root.getTraceId()));
        assertThat(root.getAttributes().get(Tracing.SESSION_ID)).isEqualTo("3f2a9c1e-77aa");
        assertThat(root.getAttributes().get(Tracing.REQUEST_ID)).isEqualTo("req-1");
    }

    @Test
    void every_runbook_span_name_is_defined() {
        assertThat(java.util.Arrays.stream(SpanName.values()).map(SpanName::wireName)).containsExactly(
                "agent_instantiation", "context_resolution", "fusion_selection", "rag_retrieval",
                "llm_generation", "tool_execution");
    }
}
