package io.askexpert.llm;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One try of one model, shared by the provider (which reports deltas, tool calls and usage) and
 * the gateway (which aborts it on cancel or timeout). Aborting closes the attached response body and
 * interrupts the reading thread, so a blocked read ends at once and the upstream connection closes.
 */
public final class Attempt {

    private final Consumer<LlmEvent> events;
    private final Thread reader;
    private final long startedNanos = System.nanoTime();
    private final AtomicReference<@Nullable LlmFailure> abortCause = new AtomicReference<>();
    private volatile @Nullable Closeable body;
    private volatile long lastActivityNanos = startedNanos;
    private volatile boolean firstToken;
    private volatile long firstTokenNanos;
    private volatile long deltaCount;
    private volatile Usage usage = Usage.ZERO;
    /** Written and read by the reading thread only. */
    private final List<LlmToolCall> toolCalls = new ArrayList<>(0);
    private final Object lock = new Object();
    private boolean finished;

    Attempt(Consumer<LlmEvent> events, Thread reader) {
        this.events = events;
        this.reader = reader;
    }

    /** Registers the live response body; closed at once when the attempt is (or gets) aborted. */
    public void attach(Closeable responseBody) {
        this.body = responseBody;
        if (abortCause.get() != null) {
            closeQuietly(responseBody);
        }
    }

    /** One text delta from the model. */
    public void text(String delta) {
        if (delta.isEmpty() || abortCause.get() != null) {
            return;
        }
        progress();
        events.accept(new LlmEvent.TextDelta(delta));
    }

    /**
     * A piece of a tool call: its start or a fragment of its input. Nothing is relayed until the
     * call is whole, but the model is producing: it counts for the first-token and token-gap
     * timeouts, and a fragment as output for a partial usage.
     */
    public void toolProgress() {
        if (abortCause.get() == null) {
            progress();
        }
    }

    /** A tool call whose whole input has arrived. */
    public void toolCall(LlmToolCall call) {
        if (abortCause.get() != null) {
            return;
        }
        toolCalls.add(call);
        events.accept(new LlmEvent.ToolCallRequested(call));
    }

    private void progress() {
        long now = System.nanoTime();
        if (!firstToken) {
            firstTokenNanos = now;
            firstToken = true;
        }
        deltaCount++;
        lastActivityNanos = now;
    }

    /** The usage the provider reported so far (replaces what was reported before). */
    public void usage(Usage reported) {
        this.usage = reported;
    }

    /** True once aborted: providers stop reading. */
    public boolean aborted() {
        return abortCause.get() != null;
    }

    /** Ends the attempt for {@code cause}; the first cause wins. */
    void abort(LlmFailure cause) {
        if (abortCause.compareAndSet(null, cause)) {
            // The interrupt wakes a reader still waiting for response headers; under the lock, so
            // it can never land after finish() and leak into the next attempt.
            synchronized (lock) {
                if (!finished && Thread.currentThread() != reader) {
                    reader.interrupt();
                }
            }
            Closeable b = body;
            if (b != null) {
                closeQuietly(b);
            }
        }
    }

    /** Called by the reading thread when the attempt is over: no interrupt reaches it after this. */
    void finish() {
        synchronized (lock) {
            finished = true;
        }
        Thread.interrupted();
    }

    Optional<LlmFailure> abortCause() {
        return Optional.ofNullable(abortCause.get());
    }

    boolean firstTokenSeen() {
        return firstToken;
    }

    /** Nanoseconds from the start of the attempt to its first delta (0 before it). */
    long timeToFirstTokenNanos() {
        return firstToken ? firstTokenNanos - startedNanos : 0;
    }

    long startedNanos() {
        return startedNanos;
    }

    long lastActivityNanos() {
        return lastActivityNanos;
    }

    /** The tool calls of the turn, in the order they completed. */
    List<LlmToolCall> toolCalls() {
        return List.copyOf(toolCalls);
    }

    /** The usage the provider reported: complete once its stream ended normally. */
    Usage reportedUsage() {
        return usage;
    }

    /**
     * Usage of an attempt that ended early: output is at least the deltas and tool-input pieces
     * received, since a provider reports its final output count only at the end (Anthropic's
     * opening event says 1).
     */
    Usage partialUsage() {
        Usage u = usage;
        return u.withOutputTokens(Math.max(u.outputTokens(), deltaCount));
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // the body is being abandoned; a failure to close it changes nothing for the caller
        }
    }
}
