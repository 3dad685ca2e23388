package io.askexpert.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Start-up as a user sees it: the launcher ({@code ./ask-expert serve}, with whatever caches it
 * keeps) on one fresh embedded data directory, on every core, with none of the benchmark's own
 * JVM flags. The first start creates the database (and the launcher's caches when this build has
 * none yet) and is reported apart; the later starts are the target's.
 */
final class StartupProbe {

    /** Variables of the benchmark's own environment a user's start would not have. */
    private static final Set<String> NOT_INHERITED = Set.of("ASK_EXPERT_JAVA_OPTS", "DATABASE_URL", "REDIS_URL",
            "JWT_SECRET", "PORT", "ASK_EXPERT_DATA_DIR");

    private final Path launcher;
    private final Path logDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    StartupProbe(Path launcher, Path logDir) {
        this.launcher = launcher;
        this.logDir = logDir;
    }

    ServiceMeasures.Startup measure(int laterStarts, Duration idleBeforeRss) throws IOException, InterruptedException {
        Path data = Files.createTempDirectory("ask-expert-bench-start");
        try {
            double first = start(0, data, Duration.ofMinutes(10), null).seconds();
            List<Double> later = new ArrayList<>();
            List<Long> rss = new ArrayList<>();
            for (int i = 1; i <= laterStarts; i++) {
                Timed t = start(i, data, Duration.ofMinutes(3), idleBeforeRss);
                later.add(t.seconds());
                rss.add(t.idleRssMiB());
            }
            return new ServiceMeasures.Startup(launcher.toString(), round(first), later, rss,
                    (int) idleBeforeRss.toSeconds());
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory left behind is harmless
            }
        }
    }

    private record Timed(double seconds, long idleRssMiB) {
    }

    private Timed start(int index, Path data, Duration limit, Duration idle) throws IOException, InterruptedException {
        int port = freePort();
        long started = System.nanoTime();
        try (BenchProcess process = BenchProcess.startOnAllCores("start-" + index,
                List.of(launcher.toString(), "serve"),
                Map.of("PORT", String.valueOf(port), "ASK_EXPERT_DATA_DIR", data.toString(), "LANGFUSE_ENABLED", "false"),
                NOT_INHERITED, logDir)) {
            URI health = URI.create("http://127.0.0.1:" + port + "/health");
            long deadline = started + limit.toNanos();
            while (!answers(health)) {
                if (!process.alive()) {
                    throw new IOException("start " + index + " of " + launcher + " exited; see " + logDir.resolve("start-" + index + ".log"));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("start " + index + " of " + launcher + " gave no /health within " + limit.toSeconds() + " s");
                }
                Thread.sleep(20);
            }
            double seconds = round((System.nanoTime() - started) / 1e9);
            long rss = -1;
            if (idle != null) {
                Thread.sleep(idle.toMillis());
                rss = process.rssKiB().map(r -> r[0] / 1024).orElse(-1L);
            }
            return new Timed(seconds, rss);
        }
    }

    private boolean answers(URI health) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
