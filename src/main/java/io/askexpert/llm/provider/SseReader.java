package io.askexpert.llm.provider;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** Reads server-sent events: {@code event:} and {@code data:} lines up to a blank line. */
final class SseReader implements Closeable {

    /** One event; {@code name} is empty for unnamed events (OpenAI's chunks). */
    record Event(String name, String data) {
    }

    private final BufferedReader in;

    SseReader(InputStream body) {
        this.in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 8192);
    }

    /** The next event, or null at the end of the stream. */
    @Nullable Event next() throws IOException {
        String name = "";
        StringBuilder data = null;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(name, data.toString());
                }
                name = "";
                continue;
            }
            if (line.startsWith("data:")) {
                String value = stripOneSpace(line.substring(5));
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            } else if (line.startsWith("event:")) {
                name = stripOneSpace(line.substring(6));
            }
            // id:, retry: and comments carry nothing a provider stream needs
        }
        return data != null ? new Event(name, data.toString()) : null;
    }

    private static String stripOneSpace(String value) {
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
