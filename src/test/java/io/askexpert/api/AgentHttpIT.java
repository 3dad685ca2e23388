package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestTokens;
import io.askexpert.testsupport.TestService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The catalogue routes of api.md §7 over real HTTP and a real database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AgentHttpIT {

    static final TestPostgres DB = TestPostgres.create();
    static final String AGENTS = "/api/v1/expert/agents";
    @TempDir static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DB, dataDir);
        registry.add("ask-expert.starter-catalogue", () -> "false");
    }

    @AfterAll
    static void dropDatabase() {
        DB.close();
    }

    @LocalServerPort int port;
    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();

    HttpResponse<String> send(String method, String path, Object body, String token) throws Exception {
        // An import answers once its profiles are embedded for routing: 300 of them take a while on a busy machine.
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofMinutes(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : json.writeValueAsString(body)));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode ok(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return json.readTree(response.body());
    }

    JsonNode error(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = json.readTree(response.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo(code);
        return error;
    }

    static Map<String, Object> agent(String slug, int level, Object... more) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("slug", slug);
        r.put("name", "Name " + slug);
        r.put("level", level);
        r.put("specialty", "specialty of " + slug);
        r.put("domains", List.of("regulatory affairs"));
        for (int i = 0; i < more.length; i += 2) {
            r.put((String) more[i], more[i + 1]);
        }
        return r;
    }

    @Test
    void writes_need_a_token_and_the_admin_role() throws Exception {
        error(send("POST", AGENTS, agent("x-expert", 2), null), 401, "UNAUTHORIZED");
        error(send("GET", AGENTS, null, null), 401, "UNAUTHORIZED");
        JsonNode forbidden = error(send("POST", AGENTS, agent("x-expert", 2), TestTokens.bearer("acme", "bob")),
                403, "FORBIDDEN");
        assertThat(forbidden.path("message").asString()).contains("admin");
    }

    @Test
    void upsert_one_then_read_it_back_by_slug_and_by_id() throws Exception {
        String admin = TestTokens.admin("acme", "alice");
        JsonNode created = ok(send("POST", AGENTS, agent("acme-label-expert", 2, "regions", List.of("us"),
                "knowledge_namespaces", List.of("regulatory-fda"), "temperature", 0.2), admin), 200);
        assertThat(created.path("results").get(0).path("status").asString()).isEqualTo("created");
        String id = created.path("results").get(0).path("id").asString();

        JsonNode bySlug = ok(send("GET", AGENTS + "/acme-label-expert", null, TestTokens.bearer("acme", "bob")), 200);
        assertThat(bySlug.path("id").asString()).isEqualTo(id);
        assertThat(bySlug.path("display_name").asString()).isEqualTo("Name acme-label-expert");
        assertThat(bySlug.path("knowledge_namespaces").get(0).asString()).isEqualTo("regulatory-fda");
        assertThat(bySlug.path("visibility").asString()).isEqualTo("private");
        assertThat(bySlug.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(ok(send("GET", AGENTS + "/" + id, null, TestTokens.bearer("acme", "bob")), 200)
                .path("slug").asString()).isEqualTo("acme-label-expert");

        error(send("GET", AGENTS + "/acme-label-expert", null, TestTokens.bearer("globex", "eve")), 404, "AGENT_NOT_FOUND");
        error(send("GET", AGENTS + "/" + id, null, TestTokens.bearer("globex", "eve")), 404, "AGENT_NOT_FOUND");
    }

    @Test
    void a_single_invalid_agent_is_a_400_naming_the_field() throws Exception {
        JsonNode e = error(send("POST", AGENTS, agent("broken-expert", 7), TestTokens.admin("acme", "alice")),
                400, "VALIDATION_ERROR");
        assertThat(e.path("details").path("field").asString()).isEqualTo("level");
        assertThat(e.path("details").path("slug").asString()).isEqualTo("broken-expert");
        error(send("POST", AGENTS, "\"just a string\"", TestTokens.admin("acme", "alice")), 400, "VALIDATION_ERROR");
        error(send("POST", AGENTS, "{not json", TestTokens.admin("acme", "alice")), 400, "VALIDATION_ERROR");
        error(send("POST", AGENTS, "[]", TestTokens.admin("acme", "alice")), 400, "VALIDATION_ERROR");
    }

    @Test
    void a_batch_of_300_with_one_bad_record_imports_299_and_answers_207() throws Exception {
        List<Object> batch = new ArrayList<>();
        batch.add(agent("bulk-master", 1));
        for (int i = 1; i < 300; i++) {
            batch.add(agent("bulk-worker-" + i, 4, "reports_to", "bulk-master"));
        }
        batch.set(42, agent("bulk-worker-42", 4, "reports_to", "bulk-master", "capabilities", "not a list"));

        JsonNode report = ok(send("POST", AGENTS, batch, TestTokens.admin("bulk", "alice")), 207);
        assertThat(report.path("summary").path("created").asInt()).isEqualTo(299);
        assertThat(report.path("summary").path("failed").asInt()).isEqualTo(1);
        JsonNode bad = report.path("results").get(42);
        assertThat(bad.path("index").asInt()).isEqualTo(42);
        assertThat(bad.path("slug").asString()).isEqualTo("bulk-worker-42");
        assertThat(bad.path("status").asString()).isEqualTo("failed");
        assertThat(bad.path("errors").get(0).path("field").asString()).isEqualTo("capabilities");

        JsonNode page = ok(send("GET", AGENTS + "?level=4&limit=10&offset=5", null, TestTokens.bearer("bulk", "bob")), 200);
        assertThat(page.path("total").asLong()).isEqualTo(298);
        assertThat(page.path("agents").size()).isEqualTo(10);
        assertThat(page.path("agents").get(0).path("reports_to").asString()).isEqualTo("bulk-master");

        JsonNode again = ok(send("POST", AGENTS, batch.subList(0, 10), TestTokens.admin("bulk", "alice")), 200);
        assertThat(again.path("summary").path("unchanged").asInt()).isEqualTo(10);
    }

    @Test
    void list_parameters_are_validated_with_the_field_named() throws Exception {
        String token = TestTokens.bearer("acme", "bob");
        assertThat(error(send("GET", AGENTS + "?level=abc", null, token), 400, "VALIDATION_ERROR")
                .path("details").path("field").asString()).isEqualTo("level");
        assertThat(error(send("GET", AGENTS + "?limit=0", null, token), 400, "VALIDATION_ERROR")
                .path("details").path("field").asString()).isEqualTo("limit");
        assertThat(error(send("GET", AGENTS + "?status=sleeping", null, token), 400, "VALIDATION_ERROR")
                .path("details").path("field").asString()).isEqualTo("status");
        assertThat(ok(send("GET", AGENTS + "?q=regulatory&domain=regulatory%20affairs", null, token), 200)
                .has("total")).isTrue();
    }
}
