package io.askexpert.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real service as a separate process ({@code java -jar target/ask-expert.jar <role>}), for
 * tests that kill it: {@link #kill9()} sends SIGKILL by pid, as an operator or the kernel would,
 * and {@link #start} again on the same data directory and database is the restart. Its output
 * goes to {@code <dataDir>/service-<n>.log}.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "ask-expert.jar");

    private final Process process;
    private final int port;
    private final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code role} with {@code env} (added to a clean environment: no keys or URLs of the
     * machine's) and {@code properties} ({@code -Dkey=value}); returns once {@code /health} answers.
     */
    public static ServiceProcess start(String role, Path dataDir, Map<String, String> env, Map<String, String> properties) {
        return start(role, dataDir, env, properties, List.of("-Xmx768m"));
    }

    /**
     * As {@link #start(String, Path, Map, Map)} with these JVM options instead of {@code -Xmx768m}
     * (tests that start many processes use a smaller heap and a quicker compiler).
     */
    public static ServiceProcess start(String role, Path dataDir, Map<String, String> env, Map<String, String> properties,
                                       List<String> jvmOptions) {
        return start(role, dataDir, env, properties, jvmOptions, JAR);
    }

    /** As above, running {@code jar} (for example the extracted launcher of {@link FastJar}). */
    public static ServiceProcess start(String role, Path dataDir, Map<String, String> env, Map<String, String> properties,
                                       List<String> jvmOptions, Path jar) {
        // A free port can be taken as an outgoing connection's local port before the service binds it
        // (seen once in CI, MissionTwoInstancesIT); a start that fails that way is tried again on another port.
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(role, dataDir, env, properties, jvmOptions, jar, OwnPostgres.freePort());
            } catch (IllegalStateException e) {
                if (attempt == 3 || e.getMessage() == null || !e.getMessage().contains("already in use")) {
                    throw e;
                }
            }
        }
    }

    private static ServiceProcess startOnce(String role, Path dataDir, Map<String, String> env,
                                            Map<String, String> properties, List<String> jvmOptions, Path jar, int port) {
        try {
            Files.createDirectories(dataDir);
            Path log = Files.createTempFile(dataDir, "service-", ".log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(jvmOptions);
            command.addAll(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"));
            properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), role));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> environment = builder.environment();
            environment.keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME") && !k.equals("JAVA_HOME"));
            Map<String, String> all = new LinkedHashMap<>(Map.of("PORT", Integer.toString(port),
                    "ASK_EXPERT_DATA_DIR", dataDir.toString(), "LANGFUSE_ENABLED", "false", "LOG_LEVEL", "INFO"));
            all.putAll(env);
            environment.putAll(all);
            ServiceProcess service = new ServiceProcess(builder.start(), port, log);
            try {
                service.awaitHealthy(Duration.ofMinutes(10));
            } catch (RuntimeException e) {
                service.process.destroyForcibly();
                throw e;
            }
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    private void awaitHealthy(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited during start-up; its log ends:\n" + tail());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base() + "/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            process.onExit().completeOnTimeout(null, 250, java.util.concurrent.TimeUnit.MILLISECONDS).join();
        }
        throw new IllegalStateException("the service did not answer /health within " + timeout + "; its log ends:\n"
                + tail());
    }

    /** The last lines of the service's output, for a failure message. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The service's ERROR log lines, each with the lines that follow it (its cause), for a failure message. */
    public String errors() {
        try {
            List<String> lines = Files.readAllLines(log);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < lines.size() && out.length() < 20_000; i++) {
                if (lines.get(i).contains(" ERROR ")) {
                    lines.subList(i, Math.min(lines.size(), i + 25)).forEach(l -> out.append(l).append('\n'));
                }
            }
            return out.toString();
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** {@code kill -9 <pid>}: no shutdown hook, no graceful drain, nothing flushed. */
    public void kill9() {
        if (!process.isAlive()) {
            return;
        }
        OwnPostgres.run(List.of("kill", "-9", Long.toString(process.pid())));
        process.onExit().join();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            if (process.onExit().completeOnTimeout(null, 30, java.util.concurrent.TimeUnit.SECONDS).join() == null) {
                kill9();
            }
        }
    }
}
