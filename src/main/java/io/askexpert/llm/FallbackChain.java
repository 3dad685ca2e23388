package io.askexpert.llm;

import io.askexpert.config.LlmSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one call through its models in order (the requested one, then {@code LLM_FALLBACK_MODEL}).
 * Before the first token, a retriable failure is retried on the same model with backoff (or the
 * provider's {@code Retry-After}) up to {@code LLM_MAX_RETRIES} times, then the next model is
 * tried; a first-token timeout or an open breaker moves on at once, since waiting again on a
 * stalled or failing provider only doubles the wait. After the first token nothing is retried:
 * the failure ends the call. Runs on the caller's thread.
 */
final class FallbackChain {

    private static final Logger log = LoggerFactory.getLogger(FallbackChain.class);
    /** A non-streamed call has no first token to time: without a caller deadline it gets this long. */
    static final Duration NON_STREAMING_LIMIT = Duration.ofMinutes(2);
    /** "No deadline" as a far instant, so deadline arithmetic never overflows. */
    private static final Duration NO_DEADLINE = Duration.ofDays(3650);

    /** How a call ended: with the value of its successful attempt, or a failure. */
    sealed interface Outcome<T> {
        record Success<T>(T value, ModelRouter.Target target, Usage usage, List<LlmToolCall> toolCalls)
                implements Outcome<T> {
        }

        record Failure<T>(LlmFailure failure, boolean beforeFirstToken, Usage partialUsage,
                          ModelRouter.Target target) implements Outcome<T> {
        }
    }

    /** One attempt of one model. */
    @FunctionalInterface
    interface AttemptBody<T> {
        T run(LlmProvider provider, String model, Attempt attempt) throws LlmFailureException;
    }

    private final ModelRouter router;
    private final CircuitBreakers breakers;
    private final StreamWatchdog watchdog;
    private final LlmMetrics metrics;
    private final LlmSettings settings;

    FallbackChain(ModelRouter router, CircuitBreakers breakers, StreamWatchdog watchdog,
                  LlmMetrics metrics, LlmSettings settings) {
        this.router = router;
        this.breakers = breakers;
        this.watchdog = watchdog;
        this.metrics = metrics;
        this.settings = settings;
    }

    <T> Outcome<T> run(LlmRequest request, LlmCall call, boolean streaming, Consumer<LlmEvent> events,
                       AttemptBody<T> body) {
        long deadlineNanos = deadlineNanos(request.deadline(), streaming);
        List<ModelRouter.Target> chain = router.chain(request.model());
        LlmFailure last = null;
        ModelRouter.Target lastTarget = chain.getFirst();
        for (int t = 0; t < chain.size(); t++) {
            ModelRouter.Target target = chain.get(t);
            if (t > 0) {
                metrics.fallback(lastTarget.provider().name());
                log.info("LLM fallback: {} / {} failed before its first token ({}), trying {} / {}",
                        lastTarget.provider().name(), lastTarget.model(), last == null ? "?" : last.kind(),
                        target.provider().name(), target.model());
            }
            CircuitBreaker breaker = breakers.of(target);
            for (int retry = 0; ; retry++) {
                if (call.cancelled()) {
                    return new Outcome.Failure<>(LlmFailure.of(LlmFailure.Kind.CANCELLED, "cancelled by the caller"),
                            true, Usage.ZERO, target);
                }
                if (System.nanoTime() - deadlineNanos >= 0) {
                    return new Outcome.Failure<>(LlmFailure.of(LlmFailure.Kind.DEADLINE_EXCEEDED,
                            "the request's deadline passed"), true, Usage.ZERO, target);
                }
                lastTarget = target;
                if (breaker != null && !breaker.tryAcquirePermission()) {
                    last = LlmFailure.of(LlmFailure.Kind.CIRCUIT_OPEN, target.provider().name() + " / " + target.model()
                            + ": circuit breaker open after repeated failures");
                    break;
                }
                Attempt attempt = new Attempt(events, Thread.currentThread());
                call.begin(attempt);
                StreamWatchdog.Watch watch = watchdog.watch(attempt, deadlineNanos, streaming);
                long start = System.nanoTime();
                LlmFailure failure;
                try {
                    T value = body.run(target.provider(), target.model(), attempt);
                    failure = attempt.abortCause().orElse(null);
                    if (failure == null) {
                        if (breaker != null) {
                            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                        }
                        if (attempt.firstTokenSeen()) {
                            metrics.firstToken(target.provider().name(), target.model(),
                                    Duration.ofNanos(attempt.timeToFirstTokenNanos()));
                        }
                        return new Outcome.Success<>(value, target, attempt.reportedUsage(), attempt.toolCalls());
                    }
                } catch (LlmFailureException e) {
                    failure = attempt.abortCause().orElse(e.failure());
                } catch (RuntimeException e) {
                    // The caller's consumer threw (its client is gone): stop as a cancel would.
                    log.debug("LLM event consumer failed; cancelling the call", e);
                    attempt.abort(LlmFailure.of(LlmFailure.Kind.CANCELLED, "the event consumer failed"));
                    failure = attempt.abortCause().orElseThrow();
                } finally {
                    watch.stop();
                    call.end();
                    // An abort interrupts this thread; the flag must not leak into the next attempt or the caller.
                    attempt.finish();
                }
                record(breaker, failure, start);
                if (streaming && attempt.firstTokenSeen()) {
                    return new Outcome.Failure<>(failure, false, attempt.partialUsage(), target);
                }
                if (!failure.retriable()) {
                    return new Outcome.Failure<>(failure, true, attempt.partialUsage(), target);
                }
                last = failure;
                if (failure.kind() == LlmFailure.Kind.FIRST_TOKEN_TIMEOUT || retry >= settings.maxRetries()) {
                    break;
                }
                Duration wait = failure.retryAfter() != null ? failure.retryAfter() : backoff(retry);
                if (wait.compareTo(settings.maxRetryWait()) > 0 || System.nanoTime() + wait.toNanos() - deadlineNanos >= 0) {
                    break;
                }
                metrics.retry(target.provider().name(), failure.kind());
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.interrupted();
                    return new Outcome.Failure<>(LlmFailure.of(LlmFailure.Kind.CANCELLED, "cancelled by the caller"),
                            true, Usage.ZERO, target);
                }
            }
        }
        LlmFailure cause = last == null ? LlmFailure.of(LlmFailure.Kind.SERVER_ERROR, "no provider answered") : last;
        return new Outcome.Failure<>(new LlmFailure(cause.kind(), "every provider and the fallback failed; last: "
                + cause.message(), cause.httpStatus(), cause.retryAfter()), true, Usage.ZERO, lastTarget);
    }

    private static void record(@Nullable CircuitBreaker breaker, LlmFailure failure, long start) {
        if (breaker == null) {
            return;
        }
        long elapsed = System.nanoTime() - start;
        if (failure.countsAgainstProvider()) {
            breaker.onError(elapsed, TimeUnit.NANOSECONDS, new LlmFailureException(failure));
        } else if (failure.kind() == LlmFailure.Kind.CANCELLED || failure.kind() == LlmFailure.Kind.DEADLINE_EXCEEDED) {
            breaker.releasePermission();
        } else {
            // 429 and 4xx: the provider answered, so it is up.
            breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
        }
    }

    /** Exponential backoff from {@code retryBackoff}, with ±20 % jitter so retries do not align. */
    private Duration backoff(int retry) {
        long base = settings.retryBackoff().toMillis() << Math.min(retry, 6);
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis((long) (base * jitter));
    }

    private static long deadlineNanos(@Nullable Instant deadline, boolean streaming) {
        long now = System.nanoTime();
        if (deadline == null) {
            return now + (streaming ? NO_DEADLINE : NON_STREAMING_LIMIT).toNanos();
        }
        return now + Math.max(0, Duration.between(Instant.now(), deadline).toNanos());
    }
}
