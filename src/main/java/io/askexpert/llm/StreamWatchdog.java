package io.askexpert.llm;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Enforces the first-token, token-gap and overall deadlines of attempts with one timer thread:
 * each attempt has at most one pending check, rescheduled to the next instant it could expire,
 * so thousands of live streams cost no work per token here.
 */
final class StreamWatchdog implements AutoCloseable {

    private final Duration firstToken;
    private final Duration tokenGap;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "llm-watchdog");
        t.setDaemon(true);
        return t;
    });

    StreamWatchdog(Duration firstToken, Duration tokenGap) {
        this.firstToken = firstToken;
        this.tokenGap = tokenGap;
    }

    /**
     * Starts watching; {@code deadlineNanos} is a {@link System#nanoTime()} instant. Non-streamed
     * calls have only the deadline.
     */
    Watch watch(Attempt attempt, long deadlineNanos, boolean streaming) {
        Watch watch = new Watch(attempt, deadlineNanos, streaming);
        watch.schedule(System.nanoTime());
        return watch;
    }

    final class Watch {
        private final Attempt attempt;
        private final long deadlineNanos;
        private final boolean streaming;
        private volatile boolean stopped;
        private volatile ScheduledFuture<?> pending;

        private Watch(Attempt attempt, long deadlineNanos, boolean streaming) {
            this.attempt = attempt;
            this.deadlineNanos = deadlineNanos;
            this.streaming = streaming;
        }

        void stop() {
            stopped = true;
            ScheduledFuture<?> p = pending;
            if (p != null) {
                p.cancel(false);
            }
        }

        private void schedule(long now) {
            long next = deadlineNanos;
            if (streaming) {
                long timeout = attempt.firstTokenSeen()
                        ? attempt.lastActivityNanos() + tokenGap.toNanos()
                        : attempt.startedNanos() + firstToken.toNanos();
                next = next - timeout < 0 ? next : timeout;
            }
            if (stopped) {
                return;
            }
            pending = timer.schedule(this::check, Math.max(0, next - now), TimeUnit.NANOSECONDS);
        }

        private void check() {
            if (stopped || attempt.aborted()) {
                return;
            }
            long now = System.nanoTime();
            if (now - deadlineNanos >= 0) {
                attempt.abort(LlmFailure.of(LlmFailure.Kind.DEADLINE_EXCEEDED, "the request's deadline passed"));
                return;
            }
            if (streaming && !attempt.firstTokenSeen() && now - attempt.startedNanos() >= firstToken.toNanos()) {
                attempt.abort(LlmFailure.of(LlmFailure.Kind.FIRST_TOKEN_TIMEOUT,
                        "no first token within " + firstToken.toMillis() + " ms"));
                return;
            }
            if (streaming && attempt.firstTokenSeen() && now - attempt.lastActivityNanos() >= tokenGap.toNanos()) {
                attempt.abort(LlmFailure.of(LlmFailure.Kind.TOKEN_GAP_TIMEOUT,
                        "no token for " + tokenGap.toMillis() + " ms"));
                return;
            }
            schedule(now);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
