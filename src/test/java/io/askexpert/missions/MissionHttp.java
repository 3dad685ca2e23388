package io.askexpert.missions;

import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The mission routes of api.md §6 as the fault tests call them, on any instance (by its base URL). */
final class MissionHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** An answer: status and body. */
    record Answer(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String tenant;

    MissionHttp(String tenant) {
        this.tenant = tenant;
    }

    String user(String userId) {
        return TestTokens.bearer(tenant, userId);
    }

    String admin() {
        return TestTokens.admin(tenant, "admin");
    }

    Answer send(String base, String method, String path, String authorization, @Nullable String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer ok(String base, String method, String path, String authorization, @Nullable String body) {
        Answer a = send(base, method, path, authorization, body);
        if (a.status() < 200 || a.status() > 201) {
            throw new AssertionError(method + " " + path + " answered " + a.status() + ": " + a.body());
        }
        return a;
    }

    /** Registers the experts the missions are given (admin). */
    void seedExperts(String base, List<Map<String, Object>> experts) {
        ok(base, "POST", "/api/v1/expert/agents", admin(), JSON.writeValueAsString(experts));
    }

    static Map<String, Object> expert(String slug, String model) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("slug", slug);
        e.put("name", "Safety Reporting Expert " + slug);
        e.put("level", 2);
        e.put("specialty", "expedited safety reporting");
        e.put("description", "Knows the EU and US expedited reporting rules.");
        e.put("system_prompt", "You are a pharmacovigilance expert.");
        e.put("knowledge_namespaces", List.of("fault-pv"));
        e.put("model", model);
        return e;
    }

    /** Creates a mode 3 mission; returns its id. */
    String create(String base, String userId, String goal, String agent, Map<String, Object> options) {
        Answer a = ok(base, "POST", "/api/v1/expert/mode3/mission/create", user(userId),
                JSON.writeValueAsString(Map.of("goal", goal, "agent_id", agent, "options", options)));
        return a.json().get("mission_id").asString();
    }

    /** Opens the mission's stream (which queues it) and hangs up at once: the mission goes on without a client. */
    void start(String base, String userId, String missionId) {
        try (InputStream in = openStream(base, userId, missionId, 0)) {
            in.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mission's stream after {@code lastEventId}, live. */
    InputStream openStream(String base, String userId, String missionId, long lastEventId) {
        return openStream(base, userId, missionId, lastEventId, 3);
    }

    /** The stream of a mission of {@code mode} (3 or 4) after {@code lastEventId}, live. */
    InputStream openStream(String base, String userId, String missionId, long lastEventId, int mode) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + "/api/v1/expert/mode" + mode + "/stream"))
                .header("Authorization", user(userId)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("mission_id", missionId))));
        if (lastEventId > 0) {
            r.header("Last-Event-ID", Long.toString(lastEventId));
        }
        try {
            HttpResponse<InputStream> response = http.send(r.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                String body = new String(response.body().readAllBytes());
                throw new AssertionError("stream of " + missionId + " answered " + response.statusCode() + ": " + body);
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The whole stream of a finished mission after {@code lastEventId}, strictly parsed (one terminal event). */
    List<StrictSse.Event> replay(String base, String userId, String missionId, long lastEventId) {
        return replay(base, userId, missionId, lastEventId, 3);
    }

    /** The same through the stream route of {@code mode} (3 or 4). */
    List<StrictSse.Event> replay(String base, String userId, String missionId, long lastEventId, int mode) {
        try (InputStream in = openStream(base, userId, missionId, lastEventId, mode)) {
            return StrictSse.reader(in).finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode status(String base, String userId, String missionId) {
        return ok(base, "GET", "/api/v1/expert/mission/status/" + missionId, user(userId), null).json();
    }

    Answer decide(String base, String userId, String checkpointId, String decision) {
        return send(base, "POST", "/api/v1/expert/mode3/checkpoint/" + checkpointId + "/approve", user(userId),
                "{\"decision\":\"" + decision + "\"}");
    }
}
