package io.askexpert.llm.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SSE framing from bytes, however the network splits them. */
class SseReaderTest {

    private static final String STREAM = ": comment\n"
            + "event: message_start\ndata: {\"type\":\"message_start\"}\n\n"
            + "data: {\"a\":1}\r\n\r\n"
            + "event: ignored-without-data\n\n"
            + "data:no-space\nid: 7\nretry: 10\n\n"
            + "data: first\ndata: second\n\n"
            + "data: " + "x".repeat(10_000) + "\n\n"
            + "data: \"caf\u00e9 \u2014 \u00b5g\"\n\n"
            + "data: [DONE]";

    /** Returns at most {@code chunk} bytes per read, as a slow network would. */
    private static InputStream trickle(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 17, 4096, 100_000})
    void reads_every_event_whatever_the_read_sizes(int chunk) throws IOException {
        List<String> events = new ArrayList<>();
        try (SseReader reader = new SseReader(trickle(STREAM.getBytes(StandardCharsets.UTF_8), chunk))) {
            while (reader.next()) {
                String data = new String(reader.data(), reader.dataOffset(), reader.dataLength(), StandardCharsets.UTF_8);
                events.add(reader.name() + "|" + (data.length() > 50 ? data.length() + " chars" : data));
                if (data.equals("[DONE]")) {
                    assertThat(reader.dataIs("[DONE]".getBytes(StandardCharsets.US_ASCII))).isTrue();
                }
            }
        }
        assertThat(events).containsExactly("message_start|{\"type\":\"message_start\"}", "|{\"a\":1}", "|no-space",
                "|first\nsecond", "|10000 chars", "|\"caf\u00e9 \u2014 \u00b5g\"", "|[DONE]");
    }
}
