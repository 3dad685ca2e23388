package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestTokens;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One user's calls to the mission routes (api.md §6) of a service under test. */
final class MissionClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    private final String tenant;
    private final String user;

    MissionClient(int port, String tenant, String user) {
        this.port = port;
        this.tenant = tenant;
        this.user = user;
    }

    HttpResponse<String> send(String method, String path, String authorization, String body) throws Exception {
        return send(http, port, method, path, authorization, body);
    }

    /** One request to the service on {@code port}; {@code authorization} and {@code body} may be null. */
    static HttpResponse<String> send(HttpClient http, int port, String method, String path, @Nullable String authorization,
                                     @Nullable String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String bearer() {
        return TestTokens.bearer(tenant, user);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, bearer(), body);
    }

    static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.uri() + ": " + response.body()).isBetween(200, 201);
        return JSON.readTree(response.body());
    }

    String create(String goal, String expert, Map<String, Object> options) throws Exception {
        return ok(post("/api/v1/expert/mode3/mission/create", JSON.writeValueAsString(
                Map.of("goal", goal, "agent_id", expert, "options", options)))).get("mission_id").asString();
    }

    JsonNode status(String missionId) throws Exception {
        return ok(send("GET", "/api/v1/expert/mission/status/" + missionId, bearer(), null));
    }

    void awaitState(String missionId, String expected) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> status(missionId).get("status").asString(), s -> s.equals(expected));
    }

    void decide(String checkpointId, String decision, String comment) throws Exception {
        ok(post("/api/v1/expert/mode3/checkpoint/" + checkpointId + "/approve",
                JSON.writeValueAsString(Map.of("decision", decision, "comment", comment))));
    }

    /** The first artifact's Markdown, downloaded. */
    String report(JsonNode status) throws Exception {
        String url = status.get("artifacts").get(0).get("download_url").asString();
        HttpResponse<String> download = send("GET", url, bearer(), null);
        assertThat(download.statusCode()).isEqualTo(200);
        return download.body();
    }

    /** The mission's stream after {@code lastEventId}, until {@code stop} accepts an event or the terminal one. */
    List<StrictSse.Event> stream(String missionId, long lastEventId, Predicate<StrictSse.Event> stop) throws Exception {
        HttpResponse<InputStream> response = openStream(http, port, "/api/v1/expert/mode3/stream", bearer(), missionId,
                lastEventId);
        assertThat(response.statusCode()).isEqualTo(200);
        return read(response, e -> { }, stop, 90);
    }

    /** {@code POST path {"mission_id"}}, resuming after {@code lastEventId} when it is positive. */
    static HttpResponse<InputStream> openStream(HttpClient http, int port, String path, String bearer, String missionId,
                                                long lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("mission_id", missionId))));
        if (lastEventId > 0) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /**
     * A mission stream's events, each handed to {@code each} as it arrives, until {@code stop} accepts
     * one or the terminal one; then hangs up (the mission goes on without a client).
     */
    static List<StrictSse.Event> read(HttpResponse<InputStream> response, Consumer<StrictSse.Event> each,
                                      Predicate<StrictSse.Event> stop, int timeoutSeconds) throws Exception {
        List<StrictSse.Event> seen = new ArrayList<>();
        try (InputStream in = response.body()) {
            StrictSse sse = StrictSse.reader(in);
            CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
                for (StrictSse.Event e = sse.next(); e != null; e = sse.next()) {
                    synchronized (seen) {
                        seen.add(e);
                    }
                    each.accept(e);
                    if (e.terminal() || stop.test(e)) {
                        return;
                    }
                }
            });
            reading.get(timeoutSeconds, TimeUnit.SECONDS);
        }
        return seen;
    }

    static List<String> names(List<StrictSse.Event> events) {
        return events.stream().map(StrictSse.Event::name).filter(n -> !n.equals("heartbeat")).toList();
    }

    static List<StrictSse.Event> named(List<StrictSse.Event> events, String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    /** Every citation points into the Sources list, which names each document once; returns the entries. */
    static List<String> assertSourcesUnique(String report) {
        int split = report.lastIndexOf("## Sources");
        assertThat(split).isPositive();
        List<String> entries = java.util.regex.Pattern.compile("(?m)^- \\[(\\d+)] (.+)$").matcher(report.substring(split))
                .results().map(m -> m.group(2)).toList();
        assertThat(entries).isNotEmpty().doesNotHaveDuplicates();
        assertThat(java.util.regex.Pattern.compile("\\[(\\d+)]").matcher(report.substring(0, split)).results()
                .map(m -> Integer.parseInt(m.group(1)))).isNotEmpty().allSatisfy(n -> assertThat(n).isBetween(1, entries.size()));
        return entries;
    }
}
