package io.askexpert.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A throw-away database on the machine's real PostgreSQL (127.0.0.1:5432, trust auth). Each
 * instance creates a uniquely named database and drops it on {@link #close()}, so test classes
 * never share state. Override the server with {@code ASK_EXPERT_TEST_PG} (a JDBC URL without
 * the database name, e.g. {@code jdbc:postgresql://127.0.0.1:5432/}).
 */
public final class TestPostgres implements AutoCloseable {

    private static final String USER = "postgres";
    private static final String SERVER = server();

    /**
     * The machine's PostgreSQL when it answers on 127.0.0.1:5432; otherwise one embedded server
     * for the whole test JVM, so the suite also runs on a machine without PostgreSQL.
     */
    private static String server() {
        String configured = System.getenv("ASK_EXPERT_TEST_PG");
        if (configured != null) {
            return configured;
        }
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", 5432), 500);
            return "jdbc:postgresql://127.0.0.1:5432/";
        } catch (java.io.IOException e) {
            return EmbeddedFallback.URL;
        }
    }

    /** Started on first use only, when no local PostgreSQL answers. */
    private static final class EmbeddedFallback {
        static final String URL;

        static {
            try {
                var pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        pg.close();
                    } catch (java.io.IOException ignored) {
                        // the JVM is exiting; the temp directory goes with it
                    }
                }));
                URL = "jdbc:postgresql://localhost:" + pg.getPort() + "/";
            } catch (java.io.IOException e) {
                throw new IllegalStateException("no PostgreSQL on 127.0.0.1:5432 and the embedded one did not start", e);
            }
        }
    }

    /** True when tests run against the machine's PostgreSQL (which may have pgvector installed). */
    public static boolean isLocalServer() {
        return SERVER.contains("127.0.0.1:5432");
    }

    private final String name;

    private TestPostgres(String name) {
        this.name = name;
    }

    public static TestPostgres create() {
        String name = "askexpert_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        admin("CREATE DATABASE " + name);
        return new TestPostgres(name);
    }

    /** The JDBC URL to hand to the service as {@code DATABASE_URL}. */
    public String jdbcUrl() {
        return SERVER + name + "?user=" + USER;
    }

    public String name() {
        return name;
    }

    /** Runs one statement in this database (for example {@code CREATE EXTENSION vector}). */
    public void execute(String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl()); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres?user=" + USER);
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + SERVER + " is needed for this test: " + e.getMessage(), e);
        }
    }
}
