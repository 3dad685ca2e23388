package io.askexpert.api;

import io.askexpert.runs.Sequenced;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The only code that knows SSE framing (api.md §4): {@code id: <n>\nevent: <name>\ndata: <json>\n\n},
 * LF only, one line of JSON, flushed per event so nothing waits in a buffer. Status 200 and the
 * headers go out with the first frame; errors found before that are ordinary JSON responses.
 */
final class SseWriter {

    private final HttpServletResponse response;
    private ServletOutputStream out;

    SseWriter(HttpServletResponse response, String runId) {
        this.response = response;
        response.setStatus(200);
        response.setContentType("text/event-stream;charset=UTF-8");
        response.setHeader("Cache-Control", "no-cache, no-transform");
        response.setHeader("X-Accel-Buffering", "no");
        response.setHeader("X-Run-ID", runId);
    }

    /** Frames one event; an {@link IOException} means the client is gone. */
    void write(Sequenced event) throws IOException {
        if (out == null) {
            out = response.getOutputStream();
        }
        out.write(frame(event));
        out.flush();
    }

    static byte[] frame(Sequenced event) {
        return ("id: " + event.id() + "\nevent: " + event.event() + "\ndata: " + event.data() + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
