package io.askexpert.interactive;

import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

/**
 * The rows of new interactive runs (session and run, one transaction each), written behind the
 * stream on virtual threads. Bounded: at most {@code limit} writes wait for the database at once;
 * past that a new request is refused at once with {@code 503} and {@code Retry-After}, instead of
 * queueing for the connection pool until its timeout and failing mid-stream.
 */
final class RowWrites {

    private final Semaphore pending;
    private final int limit;
    private final ExecutorService executor;

    RowWrites(int limit, ExecutorService executor) {
        this.pending = new Semaphore(limit);
        this.limit = limit;
        this.executor = executor;
    }

    /**
     * Runs {@code write} in the background; the future completes when it committed.
     *
     * @throws AskExpertException {@code SERVICE_UNAVAILABLE} when {@code limit} writes are already waiting
     */
    CompletableFuture<Void> submit(Runnable write) {
        if (!pending.tryAcquire()) {
            throw new AskExpertException(ErrorCode.SERVICE_UNAVAILABLE, "too many answers are starting at once ("
                    + limit + " waiting for the database); retry shortly", Map.of("retry_after_s", 1));
        }
        try {
            return CompletableFuture.runAsync(() -> {
                try {
                    write.run();
                } finally {
                    pending.release();
                }
            }, executor);
        } catch (RuntimeException e) {
            pending.release();
            throw e;
        }
    }
}
