package io.askexpert.testsupport;

import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.springframework.util.FileSystemUtils;

/**
 * For fault tests that stop the database or kill the service: a PostgreSQL of the test's own
 * ({@link OwnPostgres}), a mock LLM at the pace the test sets, a data directory, and the real
 * service started on them as a process ({@link ServiceProcess}) as often as the test restarts it.
 * Start it in {@code @BeforeAll} (it skips the class when the PostgreSQL server binaries are
 * missing) and close it in {@code @AfterAll}.
 */
public final class ServiceOnOwnPostgres implements AutoCloseable {

    private final OwnPostgres pg;
    private final MockLlmServer mock;
    private final Path dataDir;

    private ServiceOnOwnPostgres(OwnPostgres pg, MockLlmServer mock, Path dataDir) {
        this.pg = pg;
        this.mock = mock;
        this.dataDir = dataDir;
    }

    /** Starts PostgreSQL and the mock answering as {@code llm}; the data directory is named {@code dataDirPrefix…}. */
    public static ServiceOnOwnPostgres start(MockLlmConfig llm, String dataDirPrefix) {
        Assumptions.assumeTrue(OwnPostgres.available(), "PostgreSQL 15 server binaries are needed");
        OwnPostgres pg = OwnPostgres.start();
        // No fixture reaches @AfterAll when a step fails: what had started is stopped here.
        try {
            Path dataDir = Files.createTempDirectory(dataDirPrefix);
            try {
                return new ServiceOnOwnPostgres(pg, MockLlmServer.start(llm), dataDir);
            } catch (IOException e) {
                FileSystemUtils.deleteRecursively(dataDir.toFile());
                throw e;
            }
        } catch (IOException e) {
            pg.close();
            throw new UncheckedIOException(e);
        }
    }

    public OwnPostgres pg() {
        return pg;
    }

    /**
     * {@code serve} on this database, data directory and mock (Anthropic, rate limits off, no
     * starter knowledge, the tests' JWT secret), plus {@code env} and {@code properties}; returns
     * once it answers {@code /health}.
     */
    public ServiceProcess startService(Map<String, String> env, Map<String, String> properties) {
        Map<String, String> allEnv = new HashMap<>(Map.of(
                "DATABASE_URL", pg.jdbcUrl(),
                "JWT_SECRET", TestTokens.SECRET,
                "ANTHROPIC_API_KEY", "test-key",
                "ANTHROPIC_BASE_URL", mock.baseUri().toString(),
                "RATE_LIMITS_ENABLED", "false"));
        allEnv.putAll(env);
        Map<String, String> allProperties = new HashMap<>(Map.of("ask-expert.knowledge.load-starter", "false"));
        allProperties.putAll(properties);
        return ServiceProcess.start("serve", dataDir, allEnv, allProperties);
    }

    @Override
    public void close() {
        mock.close();
        pg.close();
        FileSystemUtils.deleteRecursively(dataDir.toFile());
    }
}
