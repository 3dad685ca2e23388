package io.askexpert.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM on the embedded default: the context closes the pool, then stops PostgreSQL. When the
 * server went first (its own JVM hook, racing Spring's), the pool and the periodic duties met a
 * stopping server and logged connection errors; the postmaster must be gone once the JVM is.
 */
class EmbeddedShutdownIT {

    @TempDir Path dataDir;

    @Test
    void sigterm_closes_the_pool_before_the_embedded_server_and_leaves_no_postgres_behind() throws Exception {
        ServiceProcess service = ServiceProcess.start("serve", dataDir, Map.of(), Map.of());
        try {
            Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
            long postmaster = Long.parseLong(Files.readAllLines(pidFile).getFirst().strip());
            assertThat(ProcessHandle.of(postmaster)).isPresent();
            // Let the periodic duties (webhook outbox, run leases, ...) hold and use pooled connections.
            Thread.sleep(3_000);

            long started = System.nanoTime();
            ProcessHandle jvm = ProcessHandle.of(service.pid()).orElseThrow();
            new ProcessBuilder("kill", "-TERM", Long.toString(service.pid())).inheritIO().start().waitFor();
            assertThat(jvm.onExit().get(60, TimeUnit.SECONDS).isAlive()).isFalse();
            long stopMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            List<String> log = Files.readAllLines(service.log());
            String shutdown = String.join("\n", log.subList(Math.max(0, indexOf(log, "Ask Expert is ready at")), log.size()));
            System.out.printf("EmbeddedShutdownIT: SIGTERM to exit %d ms; the log from ready on:%n%s%n", stopMillis, shutdown);

            assertThat(shutdown).as(shutdown)
                    .doesNotContain(" ERROR ")
                    .doesNotContain("Connection refused")
                    .doesNotContain("terminating connection")
                    .doesNotContain("the database system is shutting down")
                    .doesNotContain("PSQLException")
                    .doesNotContain("ask-expert - Failed")
                    .doesNotContain("Exception");
            // pg_ctl stop returns once the server removed its pid file; the process itself is gone
            // a moment later (and reaped by whoever adopted it), so its exit is awaited, bounded.
            assertThat(pidFile).doesNotExist();
            Optional<ProcessHandle> server = ProcessHandle.of(postmaster);
            if (server.isPresent()) {
                server.get().onExit().completeOnTimeout(null, 10, TimeUnit.SECONDS).join();
            }
            assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive))
                    .as("postmaster %d still running 10 s after the JVM exited", postmaster).isEmpty();
        } finally {
            service.close();
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return 0;
    }
}
