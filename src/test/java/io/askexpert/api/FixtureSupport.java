package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestRedis;
import io.askexpert.testsupport.TestService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the full-service fixtures ({@link Mode1Fixture}, {@link MissionFixture},
 * {@link MissionLlmFixture}, {@link Mode4Fixture}) share: a mock LLM and a data directory that live
 * for the whole test JVM (their contexts outlive each test class), and the properties that point
 * one service at real PostgreSQL and Redis and both providers at the mock. Each fixture keeps its
 * own database, Redis index and mock, so no other context's workers take its work.
 */
final class FixtureSupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FixtureSupport() {
    }

    static MockLlmServer startMock(MockLlmConfig config) {
        try {
            return MockLlmServer.start(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Not {@code @TempDir}: the context outlives each test class that uses it. */
    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes {@code resources} in order when the test JVM exits, then deletes {@code dataDir}. */
    static void closeAtExit(Path dataDir, AutoCloseable... resources) {
        List<AutoCloseable> all = List.of(resources);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable resource : all) {
                try {
                    resource.close();
                } catch (Exception e) {
                    // the JVM is exiting; the rest is still closed
                }
            }
            FileSystemUtils.deleteRecursively(dataDir.toFile());
        }));
    }

    /**
     * The service on {@code db} and {@code redis}, both providers on {@code mock} (one retry, 20 ms
     * apart), no starter catalogue and no rate limits.
     */
    static void mockLlmService(DynamicPropertyRegistry registry, TestPostgres db, TestRedis redis, MockLlmServer mock,
                               Path dataDir) {
        TestService.register(registry, db, dataDir);
        registry.add("ask-expert.redis.url", redis::url);
        registry.add("ask-expert.starter-catalogue", () -> "false");
        registry.add("ask-expert.rate-limits.enabled", () -> "false");
        registry.add("ask-expert.llm.anthropic-api-key", () -> "test-key");
        registry.add("ask-expert.llm.anthropic-base-url", () -> mock.baseUri().toString());
        registry.add("ask-expert.llm.openai-api-key", () -> "test-key");
        registry.add("ask-expert.llm.openai-base-url", () -> mock.openAiBaseUri().toString());
        registry.add("ask-expert.llm.max-retries", () -> "1");
        registry.add("ask-expert.llm.retry-backoff", () -> "20");
    }

    /** A fixture's request to its service ({@code authorization} and {@code body} may be null). */
    @FunctionalInterface
    interface Sender {
        HttpResponse<String> send(String method, String path, String authorization, String body) throws Exception;
    }

    /** Imports {@code experts} (200) and {@code documents} (200 or 201) as the tenant's admin {@code admin}. */
    static void seed(Sender sender, String admin, List<Map<String, Object>> experts, List<Map<String, Object>> documents)
            throws Exception {
        HttpResponse<String> agents = sender.send("POST", "/api/v1/expert/agents", admin, JSON.writeValueAsString(experts));
        assertThat(agents.statusCode()).as(agents.body()).isEqualTo(200);
        HttpResponse<String> docs = sender.send("POST", "/api/v1/expert/knowledge/documents", admin,
                JSON.writeValueAsString(Map.of("documents", documents)));
        assertThat(docs.statusCode()).as(docs.body()).isBetween(200, 201);
    }

    /** An expert as {@code POST /agents} takes it, level 2, answering from one knowledge namespace. */
    static Map<String, Object> expert(String slug, String name, String specialty, String description, String systemPrompt,
                                      String namespace, String model) {
        Map<String, Object> expert = new LinkedHashMap<>();
        expert.put("slug", slug);
        expert.put("name", name);
        expert.put("level", 2);
        expert.put("specialty", specialty);
        expert.put("description", description);
        expert.put("system_prompt", systemPrompt);
        expert.put("knowledge_namespaces", List.of(namespace));
        expert.put("model", model);
        return expert;
    }

    /** A knowledge document as {@code POST /knowledge/documents} takes it, at {@code https://example.org/<id>}. */
    static Map<String, Object> document(String namespace, String id, String title, String content) {
        return document(namespace, id, "https://example.org/" + id, title, content);
    }

    static Map<String, Object> document(String namespace, String id, String url, String title, String content) {
        return Map.of("external_id", id, "title", title, "content", content, "namespace", namespace, "url", url);
    }
}
