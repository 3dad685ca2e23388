package io.askexpert.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The follower against a scripted HTTP stand-in for the server: the first stream breaks after
 * three events, the follower comes back with {@code Last-Event-ID}, answers the checkpoint from
 * its input and saves the report. Every event is shown once.
 */
class MissionFollowerTest {

    private final HttpServer server = start();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private static final String FIRST = """
            id: 1
            event: run
            data: {"run_id":"run_m","mission_id":"m-1","mode":3}

            id: 2
            event: plan
            data: {"steps":[{"id":"s1","name":"Research"}]}

            id: 3
            event: checkpoint
            data: {"id":"c-1","type":"plan_approval","urgency":"normal","question":"Go ahead?","options":[],"timeout_s":60}

            """;

    private static final String REST = """
            id: 3
            event: checkpoint
            data: {"id":"c-1","type":"plan_approval","urgency":"normal","question":"Go ahead?","options":[],"timeout_s":60}

            id: 4
            event: step_started
            data: {"step_id":"s1","name":"Research"}

            id: 5
            event: artifact
            data: {"id":"a1","type":"report","title":"Brief","format":"markdown","download_url":"/api/v1/expert/missions/m-1/artifacts/a1"}

            id: 6
            event: done
            data: {"success":true,"mission_id":"m-1"}

            """;

    private HttpServer start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.createContext("/", this::serve);
            s.start();
            return s;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String last = exchange.getRequestHeaders().getFirst("Last-Event-ID");
        requests.add(exchange.getRequestMethod() + " " + path + (last == null ? "" : " after " + last));
        String body = exchange.getRequestMethod().equals("POST") ? new String(exchange.getRequestBody().readAllBytes(),
                StandardCharsets.UTF_8) : "";
        switch (path) {
            case "/api/v1/expert/mode3/stream" -> {
                if (!body.contains("\"m-1\"")) {
                    reply(exchange, 404, "application/json", "{\"error\":{\"code\":\"MISSION_NOT_FOUND\",\"message\":\"no such mission\"}}");
                    return;
                }
                if (last != null) {
                    reply(exchange, 200, "text/event-stream", REST.substring(REST.indexOf("id: " + (Long.parseLong(last) + 1))));
                    return;
                }
                // The connection ends after the third event, without a terminal event (a proxy's cut).
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream o = exchange.getResponseBody()) {
                    o.write(FIRST.getBytes(StandardCharsets.UTF_8));
                }
            }
            case "/api/v1/expert/mission/status/m-1" -> reply(exchange, 200, "application/json",
                    "{\"mission_id\":\"m-1\",\"pending_checkpoints\":[{\"id\":\"c-1\"}]}");
            case "/api/v1/expert/mode3/checkpoint/c-1/approve" -> {
                requests.add("decision " + body);
                reply(exchange, 200, "application/json", "{\"id\":\"c-1\",\"status\":\"modified\"}");
            }
            case "/api/v1/expert/missions/m-1/artifacts/a1" -> reply(exchange, 200, "text/markdown", "# Brief\n\nCited [1].\n");
            default -> reply(exchange, 404, "application/json",
                    "{\"error\":{\"code\":\"MISSION_NOT_FOUND\",\"message\":\"no such mission\"}}");
        }
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(bytes);
        }
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private MissionFollower follower(String input) {
        MissionClient client = new MissionClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), () -> "t");
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new MissionFollower(client, new MissionPrinter(print, false),
                new CheckpointPrompt(new BufferedReader(new StringReader(input)), print, false, true));
    }

    @Test
    void reconnects_after_the_last_event_seen_answers_the_checkpoint_and_saves_the_report(@TempDir Path dir) throws Exception {
        MissionFollower follower = follower("modify add the UK\n");

        assertThat(follower.follow("m-1")).isEqualTo(AnswerPrinter.Ending.DONE);
        Path saved = follower.saveReport("m-1", dir.resolve("out/brief.md")).orElseThrow();

        assertThat(Files.readString(saved)).startsWith("# Brief");
        assertThat(requests).containsSubsequence("POST /api/v1/expert/mode3/stream", "GET /api/v1/expert/mission/status/m-1",
                "decision {\"decision\":\"modify\",\"comment\":\"add the UK\"}", "POST /api/v1/expert/mode3/stream after 3");
        String shown = out.toString(StandardCharsets.UTF_8);
        assertThat(shown).containsOnlyOnce("Checkpoint c-1 (plan_approval").containsOnlyOnce("> Step 1/1: Research")
                .contains("(connection lost after event 3; reconnecting...)")
                .contains("Checkpoint c-1: modified; the mission goes on.");
    }

    @Test
    void ended_input_at_a_checkpoint_says_how_to_go_on() {
        assertThatThrownBy(() -> follower("").follow("m-1"))
                .isInstanceOf(MissionFollower.NoDecision.class)
                .hasMessageContaining("ask-expert mission follow m-1");
    }

    @Test
    void a_refusal_carries_the_envelope_code() {
        assertThatThrownBy(() -> follower("").follow("m-2"))
                .isInstanceOf(MissionClient.Refused.class)
                .hasMessage("MISSION_NOT_FOUND: no such mission");
    }
}
