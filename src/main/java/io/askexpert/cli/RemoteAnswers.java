package io.askexpert.cli;

import io.askexpert.config.Mode;
import io.askexpert.runs.Sequenced;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Streams one answer from a running server's {@code /modeN/stream} route (api.md §4). */
final class RemoteAnswers {

    /** The server answered with an error envelope instead of a stream. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final URI base;
    private final String token;

    RemoteAnswers(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /**
     * Posts the question and hands each event to {@code sink} until it returns true or the stream ends.
     *
     * @throws java.net.ConnectException when nothing listens at the base URL
     * @throws Refused                   when the server refuses the request (the envelope's code and message)
     */
    void stream(Mode mode, String body, Predicate<Sequenced> sink) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/expert/" + mode.shortName() + "/stream"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new Refused(refusal(response.statusCode(), in.readAllBytes()));
            }
            read(in, sink);
        }
    }

    /** LF-framed SSE: {@code id:}, {@code event:}, one {@code data:} line, a blank line; comments are heartbeats. */
    static void read(InputStream in, Predicate<Sequenced> sink) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        long id = 0;
        String event = "message";
        StringBuilder data = new StringBuilder();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isEmpty()) {
                if (!data.isEmpty() && sink.test(new Sequenced(id, event, data.toString()))) {
                    return;
                }
                event = "message";
                data.setLength(0);
            } else if (line.startsWith("id:")) {
                id = Long.parseLong(line.substring(3).strip());
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).stripLeading());
            }
        }
    }

    private static String refusal(int status, byte[] body) {
        String hint = status == 401 ? " (pass --token, or set ASK_EXPERT_TOKEN, with a token for this server)" : "";
        try {
            JsonNode error = JsonMapper.builder().build().readTree(body).path("error");
            if (error.has("code")) {
                return error.path("code").asString() + ": " + error.path("message").asString() + hint;
            }
        } catch (RuntimeException notJson) {
            // fall through to the status alone
        }
        return "HTTP " + status + hint;
    }
}
