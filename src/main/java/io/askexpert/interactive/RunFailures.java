package io.askexpert.interactive;

import io.askexpert.config.Mode;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.llm.LlmEvent;
import io.askexpert.llm.LlmFailure;
import io.askexpert.observability.Tracing;
import io.askexpert.runs.RunEvent;
import io.askexpert.runs.RunHandle;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * The terminal event of one run that did not end with {@code done}: {@code cancelled}, or
 * {@code error} with the code, message and retry advice api.md gives the client, the trace marked
 * failed and, for a fault of ours or a lost dependency, one log line.
 */
final class RunFailures {

    // Under AnswerRun's name, as before these were split out of it: log filters set for a run's failures keep matching.
    private static final Logger log = LoggerFactory.getLogger(AnswerRun.class);

    private final RunHandle run;
    private final Tracing.Trace trace;
    private final String requestId;
    private final Mode mode;
    private final Duration timeout;

    RunFailures(RunHandle run, Tracing.Trace trace, String requestId, Mode mode, Duration timeout) {
        this.run = run;
        this.trace = trace;
        this.requestId = requestId;
        this.mode = mode;
        this.timeout = timeout;
    }

    /** A stage threw: our own refusal keeps its code; anything else is a lost dependency or a fault of ours. */
    RunEvent.Terminal thrown(RuntimeException e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof AskExpertException own) {
            trace.fail(own.code().name());
            return new RunEvent.Failed(own.code().name(), own.getMessage(), recoverable(own.code()), null);
        }
        return dependencyDown(cause) ? databaseLost(cause) : unexpected(e);
    }

    /** The model call failed after its partial cost was billed; the deadline counts as worth retrying. */
    RunEvent.Failed modelFailed(LlmEvent.Failed failed) {
        LlmFailure failure = failed.failure();
        String message = failure.kind() == LlmFailure.Kind.DEADLINE_EXCEEDED
                ? "no complete answer within " + mode.timeoutVariable() + " (" + timeout.toSeconds() + " s)"
                : failed.beforeFirstToken() ? "every model failed before answering: " + failure.message()
                : "the answer broke off after it had started: " + failure.message();
        Long retryAfter = failure.retryAfter() == null ? null : failure.retryAfter().toMillis();
        return new RunEvent.Failed(ErrorCode.LLM_ERROR.name(), message,
                failure.retriable() || failure.kind() == LlmFailure.Kind.DEADLINE_EXCEEDED, retryAfter);
    }

    RunEvent.Cancelled cancelled(BigDecimal partialCost) {
        String reason = run.cancelReason();
        return new RunEvent.Cancelled(reason == null ? "cancelled" : reason, partialCost);
    }

    /**
     * The database (a query, or a transaction that could not begin) or Redis went away: the client
     * may retry, as with a 503, and the log gets one line without a stack trace.
     */
    private static boolean dependencyDown(Throwable e) {
        return e instanceof DataAccessException || e instanceof TransactionException
                || e.getClass().getName().startsWith("io.lettuce.core.");
    }

    private RunEvent.Terminal databaseLost(Throwable e) {
        log.error("Run {} (request {}) lost its database or Redis: {}", run.runId(), requestId, e.getClass().getSimpleName());
        trace.fail(ErrorCode.SERVICE_UNAVAILABLE.name());
        return new RunEvent.Failed(ErrorCode.SERVICE_UNAVAILABLE.name(),
                "the database is busy or unavailable; the answer could not be completed", true, 5_000L);
    }

    private RunEvent.Terminal unexpected(RuntimeException e) {
        log.error("Run {} (request {}) failed", run.runId(), requestId, e);
        trace.fail(ErrorCode.INTERNAL_ERROR.name());
        return new RunEvent.Failed(ErrorCode.INTERNAL_ERROR.name(),
                "the answer failed unexpectedly (request " + requestId + ")", false, null);
    }

    private static boolean recoverable(ErrorCode code) {
        return switch (code) {
            case LLM_ERROR, SERVICE_UNAVAILABLE, FUSION_TIMEOUT, RATE_LIMIT_EXCEEDED, SESSION_BUSY -> true;
            default -> false;
        };
    }
}
