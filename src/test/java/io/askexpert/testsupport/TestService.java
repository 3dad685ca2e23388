package io.askexpert.testsupport;

import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What every HTTP test of the service on its own PostgreSQL database sets: that database, a data
 * directory of its own, the tests' JWT secret (so {@link TestTokens} can mint), no trace export,
 * and a pool of {@value #POOL_SIZE} connections. Each test adds what it is about.
 */
public final class TestService {

    private TestService() {
    }

    /**
     * Connections per service. Cached test contexts keep their pools full (Hikari keeps the
     * maximum idle), so at the default of 20 four of them and one other client's pool used all 100
     * connections of a shared PostgreSQL; no HTTP test needs more than a handful at once. With at
     * most four cached contexts ({@code spring.properties}) the suite holds about 20.
     */
    public static final int POOL_SIZE = 4;

    public static void register(DynamicPropertyRegistry registry, TestPostgres db, Path dataDir) {
        registry.add("ask-expert.database.url", db::jdbcUrl);
        registry.add("ask-expert.data-dir", dataDir::toString);
        registry.add("ask-expert.auth.jwt-secret", () -> TestTokens.SECRET);
        registry.add("ask-expert.langfuse.enabled", () -> "false");
        registry.add("ask-expert.database.pool-size", () -> String.valueOf(POOL_SIZE));
    }
}
