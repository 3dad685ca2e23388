package io.askexpert.runs;

import java.util.Objects;

/**
 * One event as the log holds it: its id within the run (1, 2, …), its SSE name and its data as
 * one line of JSON. Events are encoded once, when appended, so a replay from any instance sends
 * the same bytes the live stream sent.
 */
public record Sequenced(long id, String event, String data) {

    public Sequenced {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(data, "data");
        if (id < 1) {
            throw new IllegalArgumentException("event ids start at 1, got " + id);
        }
        if (data.indexOf('\n') >= 0 || data.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("event data must be one line of JSON");
        }
    }

    public boolean terminal() {
        return RunEvent.isTerminal(event);
    }
}
