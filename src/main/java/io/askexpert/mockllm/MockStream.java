package io.askexpert.mockllm;

/**
 * One response in progress on the event loop, due again at {@code dueNanos}: a streamed answer
 * (one token per firing), a non-streamed answer (one firing when the whole answer is ready) or a
 * stalled response (one firing when the stall limit closes it).
 */
final class MockStream implements Comparable<MockStream> {

    enum Phase { STREAMING, WHOLE, STALLED, DONE }

    final MockConnection connection;
    final MockWire wire;
    final MockWire.Answer answer;
    final Fault fault;
    final int total;
    final boolean truncated;
    final long intervalNanos;
    final boolean keepAlive;
    Phase phase;
    long dueNanos;
    int sent;

    MockStream(MockConnection connection, MockWire wire, MockWire.Answer answer, Fault fault, int total,
               boolean truncated, long intervalNanos, boolean keepAlive, Phase phase, long dueNanos) {
        this.connection = connection;
        this.wire = wire;
        this.answer = answer;
        this.fault = fault;
        this.total = total;
        this.truncated = truncated;
        this.intervalNanos = intervalNanos;
        this.keepAlive = keepAlive;
        this.phase = phase;
        this.dueNanos = dueNanos;
    }

    /** Tokens after which this response cuts or stalls, or -1. */
    int faultAfter() {
        return switch (fault) {
            case Fault.CutAfter c -> c.tokens();
            case Fault.StallAfter s -> s.tokens();
            case Fault.None n -> -1;
            case Fault.Status s -> -1;
            case Fault.StallFirst s -> 0;
        };
    }

    String text() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < total; i++) {
            text.append(MockWire.word(i));
        }
        return text.toString();
    }

    @Override
    public int compareTo(MockStream other) {
        return Long.compare(dueNanos, other.dueNanos);
    }
}
