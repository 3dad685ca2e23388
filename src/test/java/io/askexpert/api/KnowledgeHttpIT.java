package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestTokens;
import io.askexpert.testsupport.TestService;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The knowledge routes of api.md §7 over real HTTP, on the local Lucene vector index. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KnowledgeHttpIT {

    static final TestPostgres DB = TestPostgres.create();
    @TempDir static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DB, dataDir);
        registry.add("ask-expert.knowledge.vector-store", () -> "lucene");
        registry.add("ask-expert.knowledge.async-threshold", () -> "3");
    }

    @AfterAll
    static void dropDatabase() {
        DB.close();
    }

    @LocalServerPort int port;
    final HttpClient http = HttpClient.newHttpClient();
    final JsonMapper json = JsonMapper.builder().build();

    HttpResponse<String> send(String method, String path, String token, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/expert/knowledge" + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Authorization", token);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> json(String method, String path, String token, Object body) throws Exception {
        return send(method, path, token, body == null ? null : "application/json",
                body == null ? null : json.writeValueAsBytes(body));
    }

    JsonNode read(HttpResponse<String> r) {
        return json.readTree(r.body());
    }

    static Map<String, Object> doc(String id, String title, String content, String namespace) {
        return Map.of("external_id", id, "title", title, "content", content, "namespace", namespace,
                "url", "https://example.org/" + id);
    }

    List<String> searchTitles(String token, String query, String strategy) throws Exception {
        var r = json("POST", "/search", token, Map.of("query", query, "top_k", 10, "strategy", strategy));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<String> titles = new ArrayList<>();
        read(r).get("results").forEach(n -> titles.add(n.get("title").asString()));
        return titles;
    }

    @Test
    void ingest_search_and_delete_with_tenant_isolation() throws Exception {
        String acmeAdmin = TestTokens.admin("acme-http", "alice");
        String globexAdmin = TestTokens.admin("globex-http", "bob");
        var created = json("POST", "/documents", acmeAdmin, Map.of("documents", List.of(
                doc("ich-e2e", "Acme signal management SOP",
                        "Signal management covers detection, validation and assessment of safety signals from spontaneous reports.",
                        "pv"))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String documentId = read(created).get("documents").get(0).get("document_id").asString();

        for (String strategy : List.of("hybrid", "vector", "keyword")) {
            assertThat(searchTitles(acmeAdmin, "safety signal detection and validation", strategy))
                    .contains("Acme signal management SOP");
            assertThat(searchTitles(globexAdmin, "safety signal detection and validation", strategy))
                    .doesNotContain("Acme signal management SOP");
        }
        var search = read(json("POST", "/search", acmeAdmin, Map.of("query", "signal validation")));
        JsonNode top = search.get("results").get(0);
        assertThat(top.get("document_id").asString()).isEqualTo(documentId);
        assertThat(top.get("external_id").asString()).isEqualTo("ich-e2e");
        assertThat(top.get("url").asString()).isEqualTo("https://example.org/ich-e2e");
        assertThat(top.get("chunk_id").asString()).isNotBlank();
        assertThat(top.get("excerpt").asString()).startsWith("Signal management");
        assertThat(search.get("retrieval_time_ms").isNumber()).isTrue();

        assertThat(json("DELETE", "/documents/" + documentId, globexAdmin, null).statusCode()).isEqualTo(404);
        assertThat(json("DELETE", "/documents/" + documentId, acmeAdmin, null).statusCode()).isEqualTo(200);
        assertThat(searchTitles(acmeAdmin, "safety signal detection and validation", "hybrid"))
                .doesNotContain("Acme signal management SOP");
        assertThat(read(json("GET", "/documents", acmeAdmin, null)).get("documents").size()).isZero();
    }

    @Test
    void writes_need_the_admin_role_and_bad_input_names_the_field() throws Exception {
        String reader = TestTokens.bearer("acme-http", "eve");
        var forbidden = json("POST", "/documents", reader, Map.of("documents", List.of(doc("x", "X", "Some text.", "pv"))));
        assertThat(forbidden.statusCode()).isEqualTo(403);

        var topK = json("POST", "/search", reader, Map.of("query", "anything", "top_k", 0));
        assertThat(topK.statusCode()).isEqualTo(400);
        assertThat(read(topK).at("/error/details/field").asString()).isEqualTo("top_k");
        var strategy = json("POST", "/search", reader, Map.of("query", "anything", "strategy", "magic"));
        assertThat(read(strategy).at("/error/details/field").asString()).isEqualTo("strategy");
        var query = json("POST", "/search", reader, Map.of("top_k", 3));
        assertThat(read(query).at("/error/details/field").asString()).isEqualTo("query");
        var empty = json("POST", "/documents", TestTokens.admin("acme-http", "alice"), Map.of("documents", List.of()));
        assertThat(read(empty).at("/error/details/field").asString()).isEqualTo("documents");
        assertThat(json("GET", "/jobs/" + UUID.randomUUID(), reader, null).statusCode()).isEqualTo(404);
    }

    @Test
    void multipart_upload_reports_a_corrupt_pdf_and_an_empty_file_and_indexes_the_rest() throws Exception {
        String admin = TestTokens.admin("upload-http", "alice");
        String boundary = "----askexpert" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "files", "broken.pdf", "application/pdf", "%PDF-1.4 garbage that is no PDF".getBytes());
        part(body, boundary, "files", "empty.txt", "text/plain", new byte[0]);
        part(body, boundary, "files", "gcp.md", "text/markdown",
                "# Good clinical practice\n\nICH E6 describes investigator and sponsor responsibilities.".getBytes());
        field(body, boundary, "namespace", "clinical");
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));

        var r = send("POST", "/documents", admin, "multipart/form-data; boundary=" + boundary, body.toByteArray());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode out = read(r);
        assertThat(out.get("succeeded").asInt()).isEqualTo(1);
        assertThat(out.get("failed").asInt()).isEqualTo(2);
        assertThat(r.body()).contains("broken.pdf").contains("not a readable PDF").contains("empty.txt");
        assertThat(searchTitles(admin, "investigator sponsor responsibilities", "hybrid")).containsExactly("Good clinical practice");
        assertThat(read(json("GET", "/documents?namespace=clinical", admin, null)).get("documents").size()).isEqualTo(1);
    }

    @Test
    void a_large_batch_answers_202_and_the_job_reports_progress() throws Exception {
        String admin = TestTokens.admin("jobs-http", "alice");
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            docs.add(doc("d" + i, "Doc " + i, "Pharmacovigilance note number " + i + " about case processing.", "bulk"));
        }
        var accepted = json("POST", "/documents", admin, Map.of("documents", docs));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String jobId = read(accepted).get("job_id").asString();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                read(json("GET", "/jobs/" + jobId, admin, null)).get("status").asString().equals("completed"));
        JsonNode job = read(json("GET", "/jobs/" + jobId, admin, null));
        assertThat(job.get("succeeded").asInt()).isEqualTo(5);
        assertThat(job.get("progress").asDouble()).isEqualTo(1.0);
        assertThat(json("GET", "/jobs/" + jobId, TestTokens.admin("other-http", "x"), null).statusCode()).isEqualTo(404);
    }

    private static void part(ByteArrayOutputStream out, String boundary, String name, String file, String type, byte[] data)
            throws Exception {
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + file
                + "\"\r\nContent-Type: " + type + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.UTF_8));
    }

    private static void field(ByteArrayOutputStream out, String boundary, String name, String value) throws Exception {
        out.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
    }
}
