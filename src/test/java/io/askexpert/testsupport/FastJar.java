package io.askexpert.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built jar made quick to start, for tests that start many processes (a fault test restarts a
 * worker for every one it kills): extracted ({@code -Djarmode=tools extract}, plain jars on the class
 * path instead of nested ones) and with an ahead-of-time class cache (JDK 25 {@code -XX:AOTCache})
 * recorded by one training start of the {@code worker} role that exits once its context is up.
 * On a loaded two-core machine a worker then starts in about a third of the time. Both are kept
 * under {@code target/fast-start/} per build of the jar and shared by the test classes of a build;
 * if anything fails the plain jar is used.
 */
public final class FastJar {

    private static final Logger log = LoggerFactory.getLogger(FastJar.class);
    private static final Path JAR = Path.of("target", "ask-expert.jar");

    /** What to run: the jar and the JVM options (the cache's, when there is one). */
    public record Launch(Path jar, List<String> jvmOptions) {
    }

    private FastJar() {
    }

    /**
     * @param jvmOptions  the options every process of the test runs with (the cache is recorded with them)
     * @param trainingEnv the environment of the training start (a database it may migrate; no Redis needed)
     */
    public static synchronized Launch prepare(List<String> jvmOptions, Map<String, String> trainingEnv) {
        try {
            String stamp = Files.size(JAR) + "-" + Files.getLastModifiedTime(JAR).toMillis();
            Path dir = Path.of("target", "fast-start", stamp).toAbsolutePath();
            Path jar = dir.resolve("ask-expert.jar");
            if (!Files.exists(jar)) {
                Path tmp = Files.createDirectories(dir.getParent()).resolve(stamp + ".tmp");
                org.springframework.util.FileSystemUtils.deleteRecursively(tmp);
                run(List.of(java(), "-Djarmode=tools", "-jar", JAR.toAbsolutePath().toString(), "extract", "--destination",
                        tmp.toString()), Map.of(), tmp.getParent().resolve(stamp + "-extract.log"));
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            }
            Path cache = dir.resolve("worker-" + Integer.toHexString(jvmOptions.hashCode()) + ".aot");
            if (!Files.exists(cache)) {
                Path data = Files.createTempDirectory("ask-expert-aot-");
                List<String> command = new ArrayList<>(List.of(java()));
                command.addAll(jvmOptions);
                command.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-Dspring.context.exit=onRefresh",
                        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                        "-jar", jar.toString(), "worker", "--ask-expert.knowledge.load-starter=false"));
                Map<String, String> env = new LinkedHashMap<>(Map.of("ASK_EXPERT_DATA_DIR", data.toString(),
                        "LANGFUSE_ENABLED", "false", "PORT", Integer.toString(OwnPostgres.freePort()),
                        "ASK_EXPERT_STARTER_CATALOGUE", "false", "DATABASE_POOL_SIZE", "2"));
                env.putAll(trainingEnv);
                run(command, env, dir.resolve("training.log"));
                org.springframework.util.FileSystemUtils.deleteRecursively(data);
            }
            List<String> options = new ArrayList<>(jvmOptions);
            if (Files.exists(cache)) {
                options.add("-XX:AOTCache=" + cache);
            }
            return new Launch(jar, List.copyOf(options));
        } catch (IOException | RuntimeException e) {
            log.warn("Fast start unavailable ({}); using the plain jar", e.toString());
            return new Launch(JAR, jvmOptions);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void run(List<String> command, Map<String, String> env, Path logFile) throws IOException {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
        b.environment().keySet().removeIf(k -> !k.equals("PATH") && !k.equals("HOME") && !k.equals("JAVA_HOME"));
        b.environment().putAll(env);
        Process p = b.start();
        try {
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(command.getFirst() + " did not finish in 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("exit " + p.exitValue() + "; see " + logFile);
        }
    }
}
