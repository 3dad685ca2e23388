package io.askexpert.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.mock.env.MockEnvironment;

/**
 * The embedded PostgreSQL started on its own thread before the context: whoever ends up owning
 * it, the server is stopped exactly once, including when the context never gets to the bean.
 */
class EmbeddedDatabaseLaunchIT {

    @TempDir Path dataDir;

    @Test
    void a_taken_server_answers_and_is_the_takers_to_stop() throws Exception {
        EmbeddedDatabaseLaunch launch = EmbeddedDatabaseLaunch.begin(dataDir);
        EmbeddedDatabase database = launch.take(dataDir);
        long postmaster = postmaster();
        try (Connection c = DriverManager.getConnection(database.jdbcUrl())) {
            assertThat(c.isValid(2)).isTrue();
        }
        launch.close();  // taken: the launch no longer stops it
        assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive)).isPresent();
        database.close();
        assertStopped(postmaster);
    }

    @Test
    void a_taker_naming_another_directory_gets_a_server_there_and_the_first_is_stopped(@TempDir Path other) throws Exception {
        EmbeddedDatabaseLaunch launch = EmbeddedDatabaseLaunch.begin(dataDir);
        try (EmbeddedDatabase database = launch.take(other)) {
            assertThat(dataDir.resolve("postgres").resolve("postmaster.pid")).doesNotExist();
            assertThat(other.resolve("postgres").resolve("postmaster.pid")).exists();
            try (Connection c = DriverManager.getConnection(database.jdbcUrl())) {
                assertThat(c.isValid(2)).isTrue();
            }
        }
    }

    @Test
    void a_context_whose_refresh_fails_before_the_bean_stops_the_early_server() throws Exception {
        GenericApplicationContext context = new GenericApplicationContext();
        context.setEnvironment(new MockEnvironment().withProperty("ask-expert.data-dir", dataDir.toString()));
        new EmbeddedDatabaseEarlyStart().initialize(context);
        assertThat(context.getBeanFactory().containsSingleton(EmbeddedDatabaseEarlyStart.BEAN_NAME)).isTrue();
        context.registerBean("broken", String.class, () -> {
            throw new IllegalStateException("a bean that fails while the server starts");
        });
        assertThatThrownBy(context::refresh).hasRootCauseMessage("a bean that fails while the server starts");
        assertThat(dataDir.resolve("postgres").resolve("postmaster.pid")).doesNotExist();
        // The lock is released with the server: a new start on the directory succeeds.
        try (EmbeddedDatabase again = EmbeddedDatabaseLaunch.begin(dataDir).take(dataDir)) {
            assertThat(again.jdbcUrl()).isNotBlank();
        }
    }

    private long postmaster() throws Exception {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).getFirst().strip());
    }

    private static void assertStopped(long pid) {
        Optional<ProcessHandle> server = ProcessHandle.of(pid);
        server.ifPresent(p -> p.onExit().completeOnTimeout(null, 10, TimeUnit.SECONDS).join());
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("postmaster %d still running", pid).isEmpty();
    }
}
