package io.askexpert.bench;

import io.askexpert.mockllm.MockLlmServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One soak stream on its own keep-alive connection ({@link SseConnection}): asks mode 1 and checks
 * the answer frame by frame: every event id one more than the one before, every {@code token}
 * event the mock's next token (its {@code tokenIndex} and its text), all of them, then {@code done}.
 * Not thread-safe: one per virtual thread.
 */
final class SoakStream implements AutoCloseable {

    /** How an answer went wrong; {@link #HTTP_5XX} and {@link #ERROR_EVENT} are server errors, the rest lost frames. */
    enum Failure {
        HTTP_5XX, ERROR_EVENT, HTTP_OTHER, EVENT_ID_GAP, TOKEN_OUT_OF_ORDER, MISSING_TOKENS, NO_DONE, CANCELLED, CLIENT_IO;

        boolean serverError() {
            return this == HTTP_5XX || this == ERROR_EVENT;
        }
    }

    /** One answer: the token frames that arrived and, when it failed, how and a line saying so. */
    record Outcome(int tokens, @Nullable Failure failure, @Nullable String detail) {
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Far above the mock's token gap: a silent stream fails instead of hanging the soak. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final URI url;
    private final Map<String, String> headers;
    private final byte[] body;
    private final int expectedTokens;
    private final JsonMapper json;
    private @Nullable SseConnection connection;

    SoakStream(LoadSpec spec, JsonMapper json) {
        this.url = spec.url();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Accept", "text/event-stream");
        all.put("Content-Type", "application/json");
        all.putAll(spec.headers());
        this.headers = Map.copyOf(all);
        this.body = spec.body().getBytes(StandardCharsets.UTF_8);
        this.expectedTokens = spec.expectedTokens();
        this.json = json;
    }

    Outcome ask() {
        try {
            if (connection == null || !connection.reusable()) {
                close();
                connection = SseConnection.open(url, CONNECT_TIMEOUT, READ_TIMEOUT);
            }
            int status = connection.post(url, headers, body);
            if (status != 200) {
                String text = new String(connection.body(), StandardCharsets.UTF_8);
                return new Outcome(0, status >= 500 ? Failure.HTTP_5XX : Failure.HTTP_OTHER, "HTTP " + status + " " + excerpt(text));
            }
            Outcome outcome = read(connection);
            if (outcome.failure() == null) {
                connection.finishBody();
            } else {
                close();
            }
            return outcome;
        } catch (IOException | RuntimeException e) {
            close();
            return new Outcome(0, Failure.CLIENT_IO, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private Outcome read(SseConnection c) throws IOException {
        long lastId = -1;
        String event = "";
        String data = "";
        long id = -1;
        int tokens = 0;
        for (String line = c.bodyLine(); line != null; line = c.bodyLine()) {
            if (line.startsWith("id:")) {
                id = Long.parseLong(line.substring(3).strip());
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data = line.substring(5).strip();
            } else if (line.isEmpty() && !event.isEmpty()) {
                if (lastId >= 0 && id != lastId + 1) {
                    return new Outcome(tokens, Failure.EVENT_ID_GAP, "event id " + id + " after " + lastId);
                }
                lastId = id;
                switch (event) {
                    case "token" -> {
                        JsonNode token = json.readTree(data);
                        String expected = MockLlmServer.fillerToken(tokens);
                        if (token.path("tokenIndex").asInt(-1) != tokens || !expected.equals(token.path("content").asString())) {
                            return new Outcome(tokens, Failure.TOKEN_OUT_OF_ORDER,
                                    "token " + tokens + " expected '" + expected + "', got " + excerpt(data));
                        }
                        tokens++;
                    }
                    case "done" -> {
                        return tokens == expectedTokens ? new Outcome(tokens, null, null)
                                : new Outcome(tokens, Failure.MISSING_TOKENS, tokens + " of " + expectedTokens + " tokens before done");
                    }
                    case "error" -> {
                        return new Outcome(tokens, Failure.ERROR_EVENT, excerpt(data));
                    }
                    case "cancelled" -> {
                        return new Outcome(tokens, Failure.CANCELLED, excerpt(data));
                    }
                    default -> { }
                }
                event = "";
                data = "";
            }
        }
        return new Outcome(tokens, Failure.NO_DONE, "the stream ended after " + tokens + " tokens without done");
    }

    private static String excerpt(String text) {
        String one = text.replaceAll("\\s+", " ").strip();
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
