package io.askexpert.mockllm;

import org.jspecify.annotations.Nullable;

/**
 * One response in progress on the event loop, due again at {@code dueNanos}: a streamed answer
 * (one frame per firing: a token, or a fragment of a tool call's input), a non-streamed answer
 * (one firing when the whole answer is ready) or a stalled response (one firing when the stall
 * limit closes it). The filler answer's frames are encoded once per word; a scripted answer's are
 * all built when it starts.
 */
final class MockStream implements Comparable<MockStream> {

    enum Phase { STREAMING, WHOLE, STALLED, DONE }

    final MockConnection connection;
    final MockWire wire;
    final MockWire.Answer answer;
    final Fault fault;
    /** Frames of the whole answer. */
    final int total;
    final boolean truncated;
    final long intervalNanos;
    final boolean keepAlive;
    /** The scripted answer, or null for the filler. */
    private final ScriptedWire.@Nullable Script script;
    /** Token frames, encoded once per word: a token then costs a copy and a write, no formatting. */
    private final String[] words;
    private final byte[][] frames;
    Phase phase;
    long dueNanos;
    int sent;

    MockStream(MockConnection connection, MockWire wire, String[] words, MockWire.Answer answer, Fault fault, int total,
               boolean truncated, ScriptedWire.@Nullable Script script, long intervalNanos, boolean keepAlive,
               Phase phase, long dueNanos) {
        this.connection = connection;
        this.wire = wire;
        this.words = words;
        this.frames = new byte[words.length + 1][];
        this.answer = answer;
        this.fault = fault;
        this.total = total;
        this.truncated = truncated;
        this.script = script;
        this.intervalNanos = intervalNanos;
        this.keepAlive = keepAlive;
        this.phase = phase;
        this.dueNanos = dueNanos;
    }

    /** Frames after which this response cuts or stalls, or -1. */
    int faultAfter() {
        return switch (fault) {
            case Fault.CutAfter c -> c.tokens();
            case Fault.StallAfter s -> s.tokens();
            case Fault.None n -> -1;
            case Fault.Status s -> -1;
            case Fault.StallFirst s -> 0;
        };
    }

    /** Sent with the response headers, before the first frame. */
    String preamble() {
        return script != null ? script.preamble() : wire.preamble(answer);
    }

    byte[] frame(int index) {
        if (script != null) {
            return script.frames().get(index);
        }
        // Token i is word i % n with a leading space, except the very first: n + 1 distinct frames.
        int slot = index == 0 ? words.length : index % words.length;
        byte[] frame = frames[slot];
        if (frame == null) {
            frame = MockWire.bytes(wire.token(answer, index, MockWire.word(words, index)));
            frames[slot] = frame;
        }
        return frame;
    }

    String epilogue() {
        return script != null ? script.epilogue() : wire.epilogue(answer, sent, truncated);
    }

    /** The whole answer as one JSON document (a non-streamed request). */
    String whole() {
        if (script != null) {
            return script.whole();
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < total; i++) {
            text.append(MockWire.word(words, i));
        }
        return wire.whole(answer, text.toString(), total, truncated);
    }

    @Override
    public int compareTo(MockStream other) {
        return Long.compare(dueNanos, other.dueNanos);
    }
}
