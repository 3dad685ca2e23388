package io.askexpert.cli;

import io.askexpert.runs.Sequenced;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The mission routes of api.md §6 as a running server answers them. */
final class MissionClient {

    /** The server refused a request: its envelope's code, message and HTTP status. */
    static final class Refused extends RuntimeException {
        final int status;
        final String code;

        Refused(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    static final String API = "/api/v1/expert";
    /** Three heartbeats missed. */
    static final Duration IDLE = Duration.ofSeconds(45);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final URI base;
    private final Supplier<String> token;

    MissionClient(URI base, Supplier<String> token) {
        this.base = base;
        this.token = token;
    }

    URI base() {
        return base;
    }

    /** {@code POST /mode3/mission/create}: the 201 body ({@code mission_id, status, goal, agent, created_at}). */
    JsonNode create(Map<String, Object> body) throws IOException, InterruptedException {
        return send("POST", API + "/mode3/mission/create", body);
    }

    JsonNode status(String missionId) throws IOException, InterruptedException {
        return send("GET", API + "/mission/status/" + encode(missionId), null);
    }

    JsonNode history(int limit, int offset, @Nullable String status) throws IOException, InterruptedException {
        String query = "?limit=" + limit + "&offset=" + offset + (status == null ? "" : "&status=" + encode(status));
        return send("GET", API + "/mission/history" + query, null);
    }

    /** {@code POST /mode3/checkpoint/{id}/approve} with {@code decision} approve, reject or modify. */
    JsonNode decide(String checkpointId, String decision, @Nullable String comment, @Nullable String option)
            throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("decision", decision);
        body.put("comment", comment == null ? "" : comment);
        if (option != null) {
            body.put("option", option);
        }
        return send("POST", API + "/mode3/checkpoint/" + encode(checkpointId) + "/approve", body);
    }

    /** {@code POST /mode3/mission/{id}/pause|resume|cancel}. */
    JsonNode control(String missionId, String action, @Nullable String reason) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        if (reason != null) {
            body.put("reason", reason);
        }
        return send("POST", API + "/mode3/mission/" + encode(missionId) + "/" + action, body);
    }

    /**
     * Attaches to the mission's run ({@code POST /mode3/stream}) and hands each event to {@code sink}
     * until it returns true or the stream ends. With {@code lastEventId > 0} the server replays only
     * what came after it ({@code Last-Event-ID}); the mission route follows the run through any
     * silence, a checkpoint waiting overnight included.
     */
    void stream(String missionId, long lastEventId, Predicate<Sequenced> sink) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(API + "/mode3/stream")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("mission_id", missionId))));
        request.header("Accept", "text/event-stream");
        if (lastEventId > 0) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw refusal(response.statusCode(), in.readAllBytes());
            }
            IdleWatch watch = new IdleWatch(in);
            try {
                RemoteAnswers.read(watch, sink);
            } finally {
                watch.stop();
            }
            if (watch.expired) {
                throw new IOException("no event or heartbeat for " + IDLE.toSeconds() + " s");
            }
        }
    }

    /**
     * The server sends a heartbeat every 15 s of silence, so a stream quiet for {@link #IDLE} is a
     * connection that died without closing (a sleeping laptop, a dropped NAT entry): closing it
     * makes the read fail, and the caller reconnects instead of waiting forever.
     */
    private static final class IdleWatch extends java.io.FilterInputStream {
        private volatile long lastRead = System.nanoTime();
        private volatile boolean expired;
        private final Thread watcher;

        IdleWatch(InputStream in) {
            super(in);
            watcher = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Thread.sleep(1000);
                        if (System.nanoTime() - lastRead > IDLE.toNanos()) {
                            expired = true;
                            this.in.close();
                            return;
                        }
                    }
                } catch (InterruptedException | IOException e) {
                    // stopped with the stream
                }
            });
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            lastRead = System.nanoTime();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            lastRead = System.nanoTime();
            return n;
        }

        void stop() {
            watcher.interrupt();
        }
    }

    /**
     * Starts the mission's run without following it: the first stream opens the run and queues the
     * mission; the connection closes after the {@code run} event and the mission goes on alone.
     */
    void start(String missionId) throws IOException, InterruptedException {
        stream(missionId, 0, event -> true);
    }

    /** An artifact's bytes ({@code download_url} as the server gave it, relative or absolute). */
    byte[] download(String downloadUrl) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request(downloadUrl).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw refusal(response.statusCode(), response.body());
        }
        return response.body();
    }

    /** {@code /health} answers 200 (the service is ready for questions, its starter knowledge indexed). */
    boolean healthy() {
        try {
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/health")).timeout(Duration.ofSeconds(5)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private JsonNode send(String method, String path, @Nullable Map<String, Object> body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path).header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() / 100 != 2) {
            throw refusal(response.statusCode(), response.body());
        }
        return response.body().length == 0 ? json.createObjectNode() : json.readTree(response.body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token.get());
    }

    private Refused refusal(int status, byte[] body) {
        String hint = status == 401 ? " (pass --token, or set ASK_EXPERT_TOKEN, with a token for this server)" : "";
        try {
            JsonNode error = json.readTree(body).path("error");
            if (error.has("code")) {
                String field = error.path("details").path("field").asString("");
                return new Refused(status, error.path("code").asString(), error.path("code").asString() + ": "
                        + error.path("message").asString() + (field.isBlank() ? "" : " (" + field + ")") + hint);
            }
        } catch (RuntimeException notJson) {
            // described by its status below
        }
        return new Refused(status, "HTTP_" + status, "the server answered HTTP " + status + hint);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
