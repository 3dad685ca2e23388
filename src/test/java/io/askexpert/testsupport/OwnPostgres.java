package io.askexpert.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of a test's own ({@code initdb} into a temporary directory, {@code pg_ctl}
 * on a free port), so a fault test can stop and start it under load without touching the
 * machine's shared server. Run as the {@code postgres} user when the test runs as root, since
 * PostgreSQL refuses to run as root.
 */
public final class OwnPostgres implements AutoCloseable {

    private static final Path BIN = Path.of(System.getenv().getOrDefault("ASK_EXPERT_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"));

    private final Path dir;
    private final int port;

    private OwnPostgres(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static boolean available() {
        return Files.isExecutable(BIN.resolve("initdb")) && Files.isExecutable(BIN.resolve("pg_ctl"));
    }

    public static OwnPostgres start() {
        try {
            Path dir = Files.createTempDirectory("ask-expert-own-pg-");
            OwnPostgres pg = new OwnPostgres(dir, freePort());
            if (isRoot()) {
                run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
            }
            pg.asOwner(List.of(BIN.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres",
                    "--auth=trust", "-E", "UTF8", "--no-sync"));
            Files.writeString(dir.resolve("data").resolve("postgresql.conf"), "\nlisten_addresses = '127.0.0.1'\n"
                    + "port = " + pg.port + "\nunix_socket_directories = '" + dir + "'\nfsync = off\n"
                    + "max_connections = 100\nshared_buffers = 32MB\n", java.nio.file.StandardOpenOption.APPEND);
            pg.startServer();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** A JDBC URL for {@code DATABASE_URL}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** The first column of every row {@code sql} returns, as text. */
    public List<String> query(String sql) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl());
             java.sql.Statement st = c.createStatement(); java.sql.ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Starts the server (again) on the same data and port; returns once it accepts connections. */
    public void startServer() {
        asOwner(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", "60", "start"));
    }

    /** Stops the server at once, as a crash would ({@code -m immediate}): connections are cut. */
    public void stopServer() {
        asOwner(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                "-w", "stop"));
    }

    @Override
    public void close() {
        try {
            stopServer();
        } catch (RuntimeException e) {
            // already stopped
        }
        org.springframework.util.FileSystemUtils.deleteRecursively(dir.toFile());
    }

    private void asOwner(List<String> command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
