package io.askexpert.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Map;

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
                .setAttribute(USER_ID, userId)
                .setAttribute(REQUEST_ID, requestId)
                .startSpan();
        return new Trace(tracer, root);
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
            return new Step(tracer.spanBuilder(name.wireName()).setParent(Context.current().with(root)).startSpan());
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

        public void fail(String code) {
            span.setStatus(StatusCode.ERROR, code);
        }

        @Override
        public void close() {
            span.end();
        }
    }
}
