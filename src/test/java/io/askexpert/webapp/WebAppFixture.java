package io.askexpert.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.auth.BrowserSignIn;
import io.askexpert.knowledge.StarterKnowledgeLoader;
import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestService;
import io.askexpert.testsupport.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * One service for the web app's tests: its own PostgreSQL database, the in-process stand-ins for
 * Redis (as on the embedded default), the starter catalogue and knowledge, and the Anthropic
 * provider pointed at the in-repo mock, streaming 20 tokens a second so an answer can be watched,
 * stopped and reloaded while it streams. Subclasses share this one Spring context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class WebAppFixture {

    static final String TENANT = "t-web";
    static final String ADMIN = "alice";
    static final String XSS_EXPERT = "web-markup-expert";
    static final String XSS_NAMESPACE = "web-markup";
    static final int TOKENS_PER_SECOND = 20;

    static final TestPostgres DB = TestPostgres.create();
    static final MockLlmServer MOCK = startMock();
    static final Path DATA_DIR = tempDir();
    static final JsonMapper JSON = JsonMapper.builder().build();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            MOCK.close();
            DB.close();
            org.springframework.util.FileSystemUtils.deleteRecursively(DATA_DIR.toFile());
        }));
    }

    private static MockLlmServer startMock() {
        try {
            return MockLlmServer.start(MockLlmConfig.forTests().withTiming(Duration.ofMillis(20), TOKENS_PER_SECOND, 30));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("ask-expert-webapp-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DB, DATA_DIR);
        registry.add("ask-expert.redis.url", () -> "");
        registry.add("ask-expert.rate-limits.enabled", () -> "false");
        registry.add("ask-expert.llm.anthropic-api-key", () -> "test-key");
        registry.add("ask-expert.llm.anthropic-base-url", () -> MOCK.baseUri().toString());
        registry.add("ask-expert.llm.openai-api-key", () -> "");
        // Two uploaded files already make an ingestion job, so the page's job progress is exercised.
        registry.add("ask-expert.knowledge.async-threshold", () -> "1");
    }

    @LocalServerPort int port;
    @Autowired BrowserSignIn signIn;
    @Autowired StarterKnowledgeLoader starterKnowledge;

    private static volatile boolean starterLoaded;

    /** The primers the embedded default loads at start; on a test database they are loaded once here. */
    @BeforeEach
    void loadStarterKnowledge() {
        if (!starterLoaded) {
            starterKnowledge.load();
            starterLoaded = true;
        }
    }
    final HttpClient http = HttpClient.newHttpClient();

    String baseUrl() {
        return "http://localhost:" + port;
    }

    /** A fresh one-time sign-in link, as the banner or {@code token --link} prints it. */
    String signInLink(String tenant, String user, boolean admin) {
        return BrowserSignIn.link(baseUrl(), signIn.mintLinkCode(tenant, user, admin));
    }

    HttpResponse<String> send(String method, String path, @Nullable String authorization, @Nullable String body,
                              String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body != null && headers.length == 0) {
            request.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An expert of the test tenant that answers from {@link #XSS_NAMESPACE} only, and a document there. */
    void seedMarkupExpert(String documentContent) throws Exception {
        String admin = TestTokens.admin(TENANT, ADMIN);
        Map<String, Object> expert = new LinkedHashMap<>();
        expert.put("slug", XSS_EXPERT);
        expert.put("name", "Markup Test Expert");
        expert.put("level", 3);
        expert.put("specialty", "Answers whatever the test makes it answer");
        expert.put("system_prompt", "Answer from the numbered sources.");
        expert.put("knowledge_namespaces", List.of(XSS_NAMESPACE));
        HttpResponse<String> agents = send("POST", "/api/v1/expert/agents", admin, JSON.writeValueAsString(expert));
        assertThat(agents.statusCode()).as(agents.body()).isEqualTo(200);
        HttpResponse<String> docs = send("POST", "/api/v1/expert/knowledge/documents", admin, JSON.writeValueAsString(
                Map.of("documents", List.of(Map.of("external_id", "markup-doc", "title", "Stability <b>protocol</b> notes",
                        "content", documentContent, "namespace", XSS_NAMESPACE)))));
        assertThat(docs.statusCode()).as(docs.body()).isBetween(200, 201);
    }
}
