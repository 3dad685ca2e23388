package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.RawExchange;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestService;
import io.askexpert.testsupport.TestTokens;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every resource × actor × verb of {@code src/test/resources/authz-matrix.tsv}, over real HTTP on
 * one service: the table is the expected answer, this class only creates the resources its
 * {@code {placeholders}} name and sends each cell's request as that cell's actor.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixIT {

    static final TestPostgres DB = TestPostgres.create();
    static final String TENANT = "t-matrix";
    static final String OTHER = "t-matrix-other";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<String> ACTORS = List.of("owner", "peer", "admin", "outsider", "outsider_admin", "anonymous");
    /** Experts, documents and jobs are created by the tenant's admin "boss": their owner column is that admin. */
    static final List<String> ADMIN_OWNED = List.of("expert", "document", "job", "webhook", "mcp");
    /** Not @TempDir: with one test instance per class the context is built before that field is set. */
    static final Path dataDir = tempDir();

    private static Path tempDir() {
        try {
            return java.nio.file.Files.createTempDirectory("ask-expert-matrix-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DB, dataDir);
        registry.add("ask-expert.knowledge.vector-store", () -> "lucene");
        registry.add("ask-expert.knowledge.async-threshold", () -> "1");
    }

    @AfterAll
    static void dropDatabase() {
        DB.close();
        org.springframework.util.FileSystemUtils.deleteRecursively(dataDir.toFile());
    }

    @LocalServerPort int port;
    private final Map<String, String> fixture = new LinkedHashMap<>();

    private String token(String actor, String resource) {
        return switch (actor) {
            case "owner" -> ADMIN_OWNED.contains(resource) ? TestTokens.admin(TENANT, "boss") : TestTokens.bearer(TENANT, "owner");
            case "peer" -> TestTokens.bearer(TENANT, "peer");
            case "admin" -> TestTokens.admin(TENANT, "chief");
            case "outsider" -> TestTokens.bearer(OTHER, "stranger");
            case "outsider_admin" -> TestTokens.admin(OTHER, "else-admin");
            case "anonymous" -> null;
            default -> throw new IllegalArgumentException("unknown actor " + actor);
        };
    }

    private RawExchange call(String method, String path, String body, String authorization) throws IOException {
        List<String[]> headers = new ArrayList<>();
        if (authorization != null) {
            headers.add(new String[] {"Authorization", authorization});
        }
        if (body != null) {
            headers.add(new String[] {"Content-Type", "application/json"});
        }
        return RawExchange.send(port, new RawExchange.Request(method, path.getBytes(StandardCharsets.UTF_8), headers,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)), 60_000);
    }

    private JsonNode ok(RawExchange r) {
        assertThat(r.status()).as(r.request() + "\n" + r.text()).isBetween(200, 299);
        return JSON.readTree(r.text());
    }

    @BeforeAll
    void createTheResources() throws IOException {
        String boss = TestTokens.admin(TENANT, "boss");
        fixture.put("owner_user", "owner");
        fixture.put("agent_slug", "matrix-private-expert");
        ok(call("POST", "/api/v1/expert/agents", "{\"slug\":\"matrix-private-expert\",\"name\":\"Matrix expert\","
                + "\"level\":3,\"system_prompt\":\"You answer about the matrix zebra protocol.\","
                + "\"knowledge_namespaces\":[\"matrix\"]}", boss));
        JsonNode doc = ok(call("POST", "/api/v1/expert/knowledge/documents", "{\"documents\":[{\"title\":\"Matrix zebra "
                + "protocol\",\"namespace\":\"matrix\",\"content\":\"The matrix zebra protocol defines who may read what.\"}]}",
                boss));
        fixture.put("document_id", doc.get("documents").get(0).get("document_id").asString());
        JsonNode job = ok(call("POST", "/api/v1/expert/knowledge/documents", "{\"documents\":["
                + "{\"title\":\"Job one\",\"namespace\":\"matrix-jobs\",\"content\":\"First document of a job.\"},"
                + "{\"title\":\"Job two\",\"namespace\":\"matrix-jobs\",\"content\":\"Second document of a job.\"}]}", boss));
        fixture.put("job_id", job.get("job_id").asString());
        fixture.put("webhook_url", "https://93.184.216.34/matrix-hook");
        ok(call("PUT", "/api/v1/expert/webhook", "{\"url\":\"https://93.184.216.34/matrix-hook\","
                + "\"secret\":\"matrix-secret-0123456789\"}", boss));
        fixture.put("mcp_url", "https://93.184.216.34/matrix-mcp");
        ok(call("PUT", "/api/v1/expert/mcp/servers/matrix-mcp", "{\"transport\":\"http\","
                + "\"url\":\"https://93.184.216.34/matrix-mcp\",\"allowed_agents\":[\"*\"]}", boss));
        fixture.put("budget_limit", "123.45");
        ok(call("PUT", "/api/v1/expert/budget", "{\"monthly_limit_usd\":123.45}", boss));
        JsonNode answer = ok(call("POST", "/api/v1/expert/mode1/query", "{\"agent_id\":\"matrix-private-expert\","
                + "\"query\":\"What does the matrix zebra protocol define?\",\"session_id\":\"matrix-session\"}",
                TestTokens.bearer(TENANT, "owner")));
        fixture.put("session_id", answer.get("session_id").asString());
        fixture.put("message_id", answer.get("message_id").asString());
        fixture.put("run_id", answer.get("run_id").asString());
        String mission = "{\"goal\":\"Summarise the matrix zebra protocol for the team\","
                + "\"agent_id\":\"matrix-private-expert\"}";
        fixture.put("mission_id", ok(call("POST", "/api/v1/expert/mode3/mission/create", mission,
                TestTokens.bearer(TENANT, "owner"))).get("mission_id").asString());
        fixture.put("mission_id_other", ok(call("POST", "/api/v1/expert/mode3/mission/create", mission,
                TestTokens.bearer(TENANT, "owner"))).get("mission_id").asString());
    }

    record Row(String resource, String verb, String method, String path, String body, List<String> cells) {
        String name() {
            return resource + " " + verb;
        }
    }

    static List<Row> table() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = AuthorizationMatrixIT.class.getResourceAsStream("/authz-matrix.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                assertThat(f).as("columns of: " + line).hasSize(5 + ACTORS.size());
                rows.add(new Row(f[0], f[1], f[2], f[3], f[4].equals("-") ? null : f[4], List.of(f).subList(5, f.length)));
            }
        }
        return rows;
    }

    @Test
    void every_actor_gets_exactly_what_the_matrix_says() throws IOException {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Row row : table()) {
            String path = fill(row.path());
            String body = row.body() == null ? null : fill(row.body());
            for (int a = ACTORS.size() - 1; a >= 0; a--) {
                String cell = row.cells().get(a);
                if (cell.equals("-")) {
                    continue;
                }
                String actor = ACTORS.get(a);
                RawExchange r = call(row.method(), path, body, token(actor, row.resource()));
                checked++;
                String problem = check(row, cell, r);
                if (problem != null) {
                    wrong.add(row.name() + " as " + actor + ": expected " + cell + ", " + problem);
                }
            }
        }
        assertThat(wrong).as("cells checked: " + checked).isEmpty();
        assertThat(checked).isGreaterThan(80);
    }

    private String check(Row row, String cell, RawExchange r) {
        Matcher m = Pattern.compile("(\\d{3})([+-])?(\\w*)").matcher(cell);
        if (!m.matches()) {
            return "unreadable cell " + cell;
        }
        if (r.status() != Integer.parseInt(m.group(1))) {
            return "got " + r.status() + " " + excerpt(r.text());
        }
        if (r.status() >= 400 && !r.text().contains("\"request_id\"")) {
            return "got an error without the envelope: " + excerpt(r.text());
        }
        if (m.group(2) == null) {
            return null;
        }
        boolean present = m.group(2).equals("+");
        String key = m.group(3).isEmpty() ? mainKey(row.resource()) : m.group(3);
        boolean found = key.equals("calls") ? JSON.readTree(r.text()).get("totals").get("calls").asLong() > 0
                : r.text().contains(fixture.get(key));
        return found == present ? null : (present ? "missing " : "showing ") + key + ": " + excerpt(r.text());
    }

    private static String mainKey(String resource) {
        return switch (resource) {
            case "expert" -> "agent_slug";
            case "message" -> "message_id";
            default -> resource + "_id";
        };
    }

    private String fill(String template) {
        String out = template;
        for (Map.Entry<String, String> e : fixture.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        assertThat(out).as("every placeholder has a fixture").doesNotContain("{run_id}", "{session_id}", "{job_id}", "{mission_id}");
        return out;
    }

    private static String excerpt(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
