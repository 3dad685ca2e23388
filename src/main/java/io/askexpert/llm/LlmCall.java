package io.askexpert.llm;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A streamed call in flight. {@link #cancel()} aborts the upstream HTTP request at once (the
 * response body is closed and the reading thread interrupted, which closes the connection); the
 * call then ends with a {@code Failed} event of kind {@code CANCELLED} carrying the partial usage.
 */
public final class LlmCall {

    private final CompletableFuture<LlmEvent.Terminal> terminal = new CompletableFuture<>();
    private final AtomicReference<@Nullable Attempt> current = new AtomicReference<>();
    private volatile @Nullable Thread worker;
    private volatile boolean cancelled;

    /** Stops the call; harmless after it ended. */
    public void cancel() {
        if (terminal.isDone()) {
            return;
        }
        cancelled = true;
        Attempt a = current.get();
        if (a != null) {
            a.abort(LlmFailure.of(LlmFailure.Kind.CANCELLED, "cancelled by the caller"));
        } else {
            // Between attempts (a backoff sleep): wake the worker so it notices.
            Thread w = worker;
            if (w != null) {
                w.interrupt();
            }
        }
    }

    /** Completes with the terminal event ({@code Completed} or {@code Failed}) after it was delivered. */
    public CompletableFuture<LlmEvent.Terminal> terminal() {
        return terminal;
    }

    public boolean cancelled() {
        return cancelled;
    }

    void bindWorker(Thread thread) {
        this.worker = thread;
    }

    /** Makes {@code attempt} the one {@link #cancel()} aborts; aborts it at once if cancel came first. */
    void begin(Attempt attempt) {
        current.set(attempt);
        if (cancelled) {
            attempt.abort(LlmFailure.of(LlmFailure.Kind.CANCELLED, "cancelled by the caller"));
        }
    }

    void end() {
        current.set(null);
    }

    void finish(LlmEvent.Terminal event) {
        terminal.complete(event);
    }
}
