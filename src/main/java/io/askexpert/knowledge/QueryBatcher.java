package io.askexpert.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Coalesces concurrent query embeddings: a query that arrives while an inference runs waits for the
 * next one, which embeds up to {@code maxBatch} queued queries at once; a query arriving when nothing
 * runs starts an inference at once (no timer). One inference runs at a time, on {@code executor}.
 * Why: at 100 concurrent streams one inference per query added 864 to 1,675 ms at p99, and a batch
 * shares one call (measured against it in docs/PERFORMANCE.md, "Query embeddings batched").
 */
final class QueryBatcher {

    private record Pending(String text, CompletableFuture<float[]> vector) {
    }

    private final Function<List<String>, List<float[]>> inference;
    private final Executor executor;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue;
    private final AtomicBoolean draining = new AtomicBoolean();

    /**
     * @param inference one vector per text, in order, for at most {@code maxBatch} texts
     * @param capacity  queries that may wait; beyond it {@link #embed} fails rather than queue without bound
     */
    QueryBatcher(Function<List<String>, List<float[]>> inference, Executor executor, int maxBatch, int capacity) {
        this.inference = inference;
        this.executor = executor;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** The vector of {@code text}; blocks the caller (a virtual thread is fine) until its batch is done. */
    float[] embed(String text) {
        return submit(text).join();
    }

    CompletableFuture<float[]> submit(String text) {
        var pending = new Pending(text, new CompletableFuture<>());
        if (!queue.offer(pending)) {
            throw new RejectedExecutionException("query embedding queue full (" + (queue.size()) + " waiting)");
        }
        startDrain();
        return pending.vector();
    }

    private void startDrain() {
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false);
                failAll(e);
            }
        }
    }

    private void drain() {
        try {
            List<Pending> batch = new ArrayList<>(maxBatch);
            while (queue.drainTo(batch, maxBatch) > 0) {
                run(batch);
                batch.clear();
            }
        } finally {
            draining.set(false);
            // A query queued after the last drainTo but before the flag was cleared found it set.
            if (!queue.isEmpty()) {
                startDrain();
            }
        }
    }

    private void run(List<Pending> batch) {
        try {
            List<float[]> vectors = inference.apply(batch.stream().map(Pending::text).toList());
            if (vectors.size() != batch.size()) {
                throw new IllegalStateException(vectors.size() + " vectors for " + batch.size() + " queries");
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).vector().complete(vectors.get(i));
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(p -> p.vector().completeExceptionally(e));
        }
    }

    private void failAll(Throwable cause) {
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.vector().completeExceptionally(cause));
    }
}
