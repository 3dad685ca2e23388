package io.askexpert.database;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded PostgreSQL being started on its own thread while the Spring context is built (the
 * server takes 2–3 s of wall time, mostly waiting for its processes, which the main thread used to
 * sit out before the {@code DataSource} existed). The {@code embeddedDatabase} bean takes it over
 * with {@link #take(Path)}, and from then on the context stops it after the pool, as before. Until
 * it is taken, this launch owns the server: a context that fails or closes before the bean exists
 * stops it with {@link #close()}, so no postmaster outlives the JVM.
 */
final class EmbeddedDatabaseLaunch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseLaunch.class);

    private final Path dataDir;
    private final Function<Path, EmbeddedDatabase> starter;
    private final CompletableFuture<EmbeddedDatabase> started = new CompletableFuture<>();
    private final AtomicBoolean taken = new AtomicBoolean();

    private EmbeddedDatabaseLaunch(Path dataDir, Function<Path, EmbeddedDatabase> starter) {
        this.dataDir = dataDir;
        this.starter = starter;
    }

    /** Starts the server for {@code dataDir} on a new thread and returns at once. */
    static EmbeddedDatabaseLaunch begin(Path dataDir) {
        return begin(dataDir, EmbeddedDatabase::start);
    }

    static EmbeddedDatabaseLaunch begin(Path dataDir, Function<Path, EmbeddedDatabase> starter) {
        EmbeddedDatabaseLaunch launch = new EmbeddedDatabaseLaunch(dataDir, starter);
        // A daemon: a JVM halted mid-start (the launcher's training run) must not wait for it.
        Thread.ofPlatform().name("embedded-postgres-start").daemon().start(launch::run);
        return launch;
    }

    private void run() {
        try {
            started.complete(starter.apply(dataDir));
        } catch (Throwable e) {
            started.completeExceptionally(e);
        }
    }

    /**
     * Waits for the server and hands it over: the caller now owns it and closes it. A caller
     * whose data directory is not the one started on (the environment changed between the early
     * read and the bean's) gets a server on its own directory, and this one is stopped.
     *
     * @throws IllegalStateException when the launch was already taken or closed
     * @throws RuntimeException the start's own failure, as the synchronous start throws it
     */
    EmbeddedDatabase take(Path wanted) {
        if (!taken.compareAndSet(false, true)) {
            throw new IllegalStateException("the embedded PostgreSQL launch was already taken or closed");
        }
        EmbeddedDatabase database = await();
        if (wanted.toAbsolutePath().normalize().equals(dataDir.toAbsolutePath().normalize())) {
            return database;
        }
        log.warn("Embedded PostgreSQL was started on {} but the settings name {}; restarting it there", dataDir, wanted);
        closeQuietly(database);
        return starter.apply(wanted);
    }

    private EmbeddedDatabase await() {
        try {
            return started.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("Could not start the embedded PostgreSQL in " + dataDir, cause);
        }
    }

    /** Stops the server unless it was taken; a failed start has nothing to stop. */
    @Override
    public void close() {
        if (!taken.compareAndSet(false, true)) {
            return;
        }
        try {
            closeQuietly(started.join());
        } catch (CompletionException failedToStart) {
            // nothing was started, so nothing is left running
        }
    }

    private static void closeQuietly(EmbeddedDatabase database) {
        try {
            database.close();
        } catch (Exception e) {
            log.warn("Could not stop the embedded PostgreSQL: {}", e.toString());
        }
    }
}
