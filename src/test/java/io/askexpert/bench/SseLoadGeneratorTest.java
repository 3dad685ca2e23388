package io.askexpert.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SseLoadGeneratorTest {

    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/complete", exchange -> stream(exchange, 5, true));
        server.createContext("/cut", exchange -> stream(exchange, 2, false));
        server.createContext("/stall", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            write(out, 1, "token", "{\"content\":\"w\",\"tokenIndex\":0}");
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.createContext("/busy", exchange -> {
            exchange.sendResponseHeaders(429, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void stream(com.sun.net.httpserver.HttpExchange exchange, int tokens, boolean terminal) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            int id = 1;
            write(out, id++, "run", "{\"run_id\":\"r\"}");
            for (int i = 0; i < tokens; i++) {
                write(out, id++, "token", "{\"content\":\"w" + i + " \",\"tokenIndex\":" + i + "}");
            }
            if (terminal) {
                write(out, id, "done", "{\"success\":true}");
            }
        }
    }

    private static void write(OutputStream out, int id, String event, String data) throws IOException {
        out.write(("id: " + id + "\nevent: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private LoadSpec spec(String path, int streams) {
        return new LoadSpec(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path), "{}", Map.of(),
                streams, Duration.ofSeconds(10), List.of("token"), List.of("done", "error", "cancelled"), 5,
                Duration.ZERO, 1, 0);
    }

    @Test
    void counts_tokens_gaps_and_completion_of_every_stream() {
        LoadReport report = new SseLoadGenerator().run("complete", spec("/complete", 20));
        assertThat(report.streams()).isEqualTo(20);
        assertThat(report.completed()).isEqualTo(20);
        assertThat(report.errors()).isZero();
        assertThat(report.streamsWithLostFrames()).isZero();
        assertThat(report.tokensReceived()).isEqualTo(100);
        assertThat(report.gapMs().count()).isEqualTo(20 * 4);
        assertThat(report.firstTokenMs().count()).isEqualTo(20);
    }

    @Test
    void rounds_follow_one_another_and_the_warm_round_is_not_counted() {
        LoadReport report = new SseLoadGenerator().run("complete", spec("/complete", 2).withRounds(3, 1));
        assertThat(report.streams()).isEqualTo(2);
        assertThat(report.requests()).isEqualTo(6);
        assertThat(report.completed()).isEqualTo(6);
        assertThat(report.firstTokenMs().count()).isEqualTo(6);
    }

    @Test
    void a_stream_cut_before_its_terminal_event_counts_as_lost_frames() {
        LoadReport report = new SseLoadGenerator().run("cut", spec("/cut", 3));
        assertThat(report.completed()).isZero();
        assertThat(report.streamsWithLostFrames()).isEqualTo(3);
        assertThat(report.sampleErrors()).containsExactly("stream ended without a terminal event");
    }

    @Test
    void a_stream_stalled_past_the_deadline_is_cut_and_counted_as_timed_out() {
        LoadSpec stall = new LoadSpec(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/stall"), "{}",
                Map.of(), 2, Duration.ofSeconds(1), List.of("token"), List.of("done"), 5, Duration.ZERO, 1, 0);
        LoadReport report = new SseLoadGenerator().run("stall", stall);
        assertThat(report.requests()).isEqualTo(2);
        assertThat(report.completed()).isZero();
        assertThat(report.streamsWithLostFrames()).isEqualTo(2);
        assertThat(report.sampleErrors()).containsExactly("timed out");
    }

    @Test
    void an_http_error_is_recorded_with_its_status() {
        LoadReport report = new SseLoadGenerator().run("busy", spec("/busy", 2));
        assertThat(report.errors()).isEqualTo(2);
        assertThat(report.sampleErrors()).containsExactly("HTTP 429");
    }

    @Test
    void the_markdown_row_matches_the_header_columns() {
        LoadReport report = new SseLoadGenerator().run("complete", spec("/complete", 1));
        long headerColumns = LoadReport.markdownHeader().lines().findFirst().orElseThrow().chars().filter(c -> c == '|').count();
        assertThat(report.markdownRow().chars().filter(c -> c == '|').count()).isEqualTo(headerColumns);
    }
}
