package io.askexpert.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A strict reader of api.md §4 streams, for tests. It fails on anything a lenient browser would
 * forgive: a CR anywhere, a frame that is not exactly {@code id:}/{@code event:}/{@code data:},
 * data that is not one line holding one JSON object, ids that do not grow by exactly one, any
 * event after the terminal one, and (on {@link #finish}) a stream with no terminal event.
 */
public final class StrictSse {

    private static final Set<String> TERMINAL = Set.of("done", "error", "cancelled");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One parsed event. */
    public record Event(long id, String name, String data, JsonNode json) {
        public boolean terminal() {
            return TERMINAL.contains(name);
        }
    }

    private final InputStream in;
    private final List<Event> events = new ArrayList<>();
    private boolean ended;

    private StrictSse(InputStream in) {
        this.in = in;
    }

    /** Reads events one at a time from a live response body. */
    public static StrictSse reader(InputStream in) {
        return new StrictSse(in);
    }

    /** Parses a whole stream, which must end with exactly one terminal event. */
    public static List<Event> parse(String body) {
        StrictSse sse = new StrictSse(new java.io.ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
        return sse.finish();
    }

    /** The next event, or null at the end of the body. */
    public Event next() {
        String frame = readFrame();
        if (frame == null) {
            return null;
        }
        String[] lines = frame.split("\n", -1);
        check(lines.length == 3, "a frame must be exactly id, event and data lines: " + show(frame));
        check(lines[0].startsWith("id: "), "first line must be 'id: <n>': " + show(lines[0]));
        check(lines[1].startsWith("event: "), "second line must be 'event: <name>': " + show(lines[1]));
        check(lines[2].startsWith("data: "), "third line must be 'data: <json>': " + show(lines[2]));
        long id;
        try {
            id = Long.parseLong(lines[0].substring(4));
        } catch (NumberFormatException e) {
            throw new AssertionError("strict SSE: event id is not a number: " + show(lines[0]));
        }
        String name = lines[1].substring(7);
        check(name.matches("[a-z_]+"), "event name must be lower_snake_case: " + show(name));
        String data = lines[2].substring(6);
        JsonNode json;
        try {
            json = JSON.readTree(data);
        } catch (RuntimeException e) {
            throw new AssertionError("strict SSE: data is not one JSON document: " + show(data));
        }
        check(json.isObject(), "data must be a JSON object: " + show(data));
        check(!ended, "event after the terminal event: " + name);
        if (!events.isEmpty()) {
            long previous = events.getLast().id();
            check(id == previous + 1, "ids must grow by 1: " + previous + " then " + id);
        }
        Event event = new Event(id, name, data, json);
        events.add(event);
        ended = event.terminal();
        return event;
    }

    /** Reads to the end and checks the stream closed with exactly one terminal event. */
    public List<Event> finish() {
        while (next() != null) {
            // every check happens in next()
        }
        check(ended, "the stream ended without a terminal event (done, error or cancelled); got "
                + events.stream().map(Event::name).toList());
        return List.copyOf(events);
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    /** One frame without its blank line, or null when the body ended cleanly between frames. */
    private String readFrame() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int previous = -1;
        try {
            while (true) {
                int b = in.read();
                if (b == -1) {
                    check(buffer.size() == 0, "the body ended inside a frame: " + show(buffer.toString(StandardCharsets.UTF_8)));
                    return null;
                }
                check(b != '\r', "CR in the stream: only LF line endings are allowed");
                if (b == '\n' && previous == '\n') {
                    byte[] bytes = buffer.toByteArray();
                    return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
                }
                check(!(b == '\n' && buffer.size() == 0), "blank line where a frame should start");
                buffer.write(b);
                previous = b;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError("strict SSE: " + message);
        }
    }

    private static String show(String s) {
        return "'" + (s.length() > 200 ? s.substring(0, 200) + "…" : s).replace("\n", "\\n") + "'";
    }
}
