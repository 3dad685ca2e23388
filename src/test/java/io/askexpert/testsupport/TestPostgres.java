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

    private static final String SERVER = System.getenv().getOrDefault("ASK_EXPERT_TEST_PG",
            "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = "postgres";

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
