package io.askexpert.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Traces every request under the runbook's convention: one trace named
 * {@code ask_expert_<mode>_<first 8 characters of the session id>} with child spans named by
 * {@link SpanName}. Exported to Langfuse over OTLP/HTTP when {@code LANGFUSE_ENABLED} and both
 * Langfuse keys are set; otherwise spans are created by a no-op tracer and cost nothing.
 * Spans carry ids, models, token counts and timings, never prompts, answers or secrets.
 */
public final class Tracing {

    static final AttributeKey<String> TRACE_NAME = AttributeKey.stringKey("langfuse.trace.name");
    static final AttributeKey<String> SESSION_ID = AttributeKey.stringKey("session.id");
    static final AttributeKey<String> USER_ID = AttributeKey.stringKey("user.id");
    static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("request_id");
    /** Langfuse's observation type: a generation is costed and priced, a retriever and a tool are shown as such. */
    static final AttributeKey<String> OBSERVATION_TYPE = AttributeKey.stringKey("langfuse.observation.type");

    private final Tracer tracer;

    public Tracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** The trace name the runbook prescribes, e.g. {@code ask_expert_mode1_3f2a9c1e}. */
    public static String traceName(String mode, String sessionId) {
        String shortId = sessionId.length() > 8 ? sessionId.substring(0, 8) : sessionId;
        return "ask_expert_" + mode + "_" + shortId;
    }

    /** Starts the root span of one request; close it when the run ends. */
    public Trace start(String mode, String sessionId, String userId, String requestId) {
        String name = traceName(mode, sessionId);
        Span root = tracer.spanBuilder(name).setNoParent()
                .setAttribute(TRACE_NAME, name)
                .setAttribute(SESSION_ID, sessionId)
                .setAttribute("langfuse.session.id", sessionId)
                .setAttribute(USER_ID, userId)
                .setAttribute("langfuse.user.id", userId)
                .setAttribute(REQUEST_ID, requestId)
                .startSpan();
        return new Trace(tracer, root);
    }

    /**
     * A span for work that is handed no trace (a tool the registry runs for whoever asked): the
     * child of the span current on this thread, if any, otherwise the root of its own trace.
     */
    public Step span(SpanName name) {
        return new Step(tracer.spanBuilder(name.wireName()).setParent(Context.current())
                .setAttribute(OBSERVATION_TYPE, observationType(name)).startSpan());
    }

    static String observationType(SpanName name) {
        return switch (name) {
            case LLM_GENERATION -> "generation";
            case RAG_RETRIEVAL -> "retriever";
            case TOOL_EXECUTION -> "tool";
            case AGENT_INSTANTIATION -> "agent";
            case CONTEXT_RESOLUTION, FUSION_SELECTION -> "span";
        };
    }

    /** One request's trace: hands out child spans, ends the root on close. */
    public static final class Trace implements AutoCloseable {
        private final Tracer tracer;
        private final Span root;

        Trace(Tracer tracer, Span root) {
            this.tracer = tracer;
            this.root = root;
        }

        public Step step(SpanName name) {
            return new Step(tracer.spanBuilder(name.wireName()).setParent(Context.current().with(root))
                    .setAttribute(OBSERVATION_TYPE, observationType(name)).startSpan());
        }

        /**
         * A span that is not one of the runbook's key spans (a mission's step, which holds the
         * step's generations and tool executions in Langfuse's tree).
         */
        public Step span(String name) {
            return new Step(tracer.spanBuilder(name).setParent(Context.current().with(root))
                    .setAttribute(OBSERVATION_TYPE, "span").startSpan());
        }

        public void annotate(Map<String, String> attributes) {
            attributes.forEach(root::setAttribute);
        }

        public void fail(String code) {
            root.setStatus(StatusCode.ERROR, code);
        }

        @Override
        public void close() {
            root.end();
        }
    }

    /** One span inside a trace. */
    public static final class Step implements AutoCloseable {
        private final Span span;

        Step(Span span) {
            this.span = span;
        }

        public Step attribute(String key, String value) {
            span.setAttribute(key, value);
            return this;
        }

        public Step attribute(String key, long value) {
            span.setAttribute(key, value);
            return this;
        }

        /**
         * A model call as Langfuse reads it over OpenTelemetry: the model ({@code gen_ai.request.model}),
         * token usage ({@code gen_ai.usage.*}, also as {@code langfuse.observation.usage_details}) and
         * the cost priced from the provider's usage ({@code gen_ai.usage.cost}, {@code cost_details.total}),
         * so Langfuse shows our price rather than inferring its own.
         */
        public Step generation(String provider, String model, long inputTokens, long outputTokens,
                               long cacheReadTokens, long cacheWriteTokens, java.math.@Nullable BigDecimal costUsd) {
            span.setAttribute("gen_ai.system", provider);
            span.setAttribute("gen_ai.request.model", model);
            span.setAttribute("gen_ai.response.model", model);
            span.setAttribute("langfuse.observation.model.name", model);
            span.setAttribute("gen_ai.usage.input_tokens", inputTokens);
            span.setAttribute("gen_ai.usage.output_tokens", outputTokens);
            span.setAttribute("langfuse.observation.usage_details", String.format(java.util.Locale.ROOT,
                    "{\"input\":%d,\"output\":%d,\"cache_read_input_tokens\":%d,\"cache_creation_input_tokens\":%d,\"total\":%d}",
                    inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens,
                    inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens));
            if (costUsd != null) {
                span.setAttribute("gen_ai.usage.cost", costUsd.doubleValue());
                span.setAttribute("langfuse.observation.cost_details", "{\"total\":" + costUsd.toPlainString() + "}");
            }
            return this;
        }

        public void fail(String code) {
            span.setStatus(StatusCode.ERROR, code);
        }

        @Override
        public void close() {
            span.end();
        }
    }
}
