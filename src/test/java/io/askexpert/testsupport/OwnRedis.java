package io.askexpert.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A {@code redis-server} of a test's own on a free port (no persistence), which a fault test
 * stops with {@code kill -9} and starts again on the same port.
 */
public final class OwnRedis implements AutoCloseable {

    private final int port;
    private final Path dir;
    private Process process;

    private OwnRedis(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    public static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/redis-server"));
    }

    public static OwnRedis start() {
        try {
            OwnRedis redis = new OwnRedis(OwnPostgres.freePort(), Files.createTempDirectory("ask-expert-own-redis-"));
            redis.startServer();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    public void startServer() {
        try {
            process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                    .redirectOutput(dir.resolve("redis.log").toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.onSpinWait();
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    /** {@code kill -9} of the server: every connection drops, nothing is saved. */
    public void killServer() {
        OwnPostgres.run(List.of("kill", "-9", Long.toString(process.pid())));
        process.onExit().join();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            killServer();
        }
        org.springframework.util.FileSystemUtils.deleteRecursively(dir.toFile());
    }
}
