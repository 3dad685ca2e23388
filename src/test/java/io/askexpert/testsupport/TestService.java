package io.askexpert.testsupport;

import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What every HTTP test of the service on its own PostgreSQL database sets: that database, a data
 * directory of its own, the tests' JWT secret (so {@link TestTokens} can mint), and no trace
 * export. Each test adds what it is about.
 */
public final class TestService {

    private TestService() {
    }

    public static void register(DynamicPropertyRegistry registry, TestPostgres db, Path dataDir) {
        registry.add("ask-expert.database.url", db::jdbcUrl);
        registry.add("ask-expert.data-dir", dataDir::toString);
        registry.add("ask-expert.auth.jwt-secret", () -> TestTokens.SECRET);
        registry.add("ask-expert.langfuse.enabled", () -> "false");
    }
}
