package io.askexpert.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The zero-setup PostgreSQL: a real server unpacked from the jar, its data kept under
 * {@code <data-dir>/postgres} so that restarts keep everything. Its life is the Spring context's:
 * the context stops it (see {@link DatabaseConfiguration}) once every user of the pool is closed.
 */
final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres postgres;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private EmbeddedDatabase(EmbeddedPostgres postgres, FileChannel lockChannel, FileLock lock) {
        this.postgres = postgres;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    static EmbeddedDatabase start(Path dataDir) {
        Path pgData = dataDir.resolve("postgres");
        FileChannel channel = null;
        try {
            Files.createDirectories(pgData);
            // The lock is held for the life of this process: while another live Ask Expert holds
            // it, the postmaster on this directory is that process's and must not be touched.
            channel = FileChannel.open(dataDir.resolve("postgres.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = channel.tryLock();
            if (held == null) {
                channel.close();
                throw new IllegalStateException("Another Ask Expert process is using the data directory "
                        + dataDir + "; stop it first, or set ASK_EXPERT_DATA_DIR to use another directory");
            }
            stopOrphanedServer(pgData);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    // Stopped by the Spring context (close()), after the pool: zonky's own JVM hook
                    // would stop the server while the pool and the periodic duties still use it.
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(30))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", "128MB")
                    .setServerConfig("fsync", "on")
                    .start();
            log.info("Embedded PostgreSQL started on port {} with data in {}", pg.getPort(), pgData);
            return new EmbeddedDatabase(pg, channel, held);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + pgData
                    + " (is another Ask Expert using this data directory? set ASK_EXPERT_DATA_DIR to use another)", e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }

    /**
     * We hold the data directory's lock, so no live Ask Expert owns a postmaster here: a process
     * killed without shutdown leaves its postmaster running on our data directory,
     * which would make every later start fail; the directory is ours, so we stop it.
     */
    private static void stopOrphanedServer(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty()) {
            Files.deleteIfExists(pidFile);
            return;
        }
        long pid = Long.parseLong(lines.getFirst().strip());
        ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                .ifPresent(p -> {
                    log.warn("Stopping an orphaned embedded PostgreSQL (pid {}) left by an earlier run", pid);
                    p.destroy();
                    p.onExit().orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
                });
        Files.deleteIfExists(pidFile);
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        try {
            postgres.close();
        } finally {
            lock.release();
            lockChannel.close();
        }
    }
}
