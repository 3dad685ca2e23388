package io.askexpert.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A child process of the benchmark (the mock LLM or the service), optionally pinned to one core
 * with {@code taskset} so the two do not steal each other's CPU. Output goes to a log file.
 */
final class BenchProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private BenchProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static BenchProcess start(String name, List<String> command, Map<String, String> env, Optional<Integer> core,
                              Path logDir) throws IOException {
        List<String> full = new ArrayList<>();
        if (core.isPresent() && canPin()) {
            full.addAll(List.of("taskset", "-c", String.valueOf(core.get())));
        }
        full.addAll(command);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new BenchProcess(name, builder.start(), log);
    }

    static boolean canPin() {
        return machineCores() >= 2
                && List.of("/usr/bin/taskset", "/bin/taskset").stream().anyMatch(p -> new File(p).canExecute());
    }

    /**
     * The machine's online cores. Not {@code availableProcessors()}: the benchmark itself may run
     * pinned to one core, and its children are pinned to others.
     */
    static int machineCores() {
        try {
            int cores = 0;
            for (String range : Files.readString(Path.of("/sys/devices/system/cpu/online")).strip().split(",")) {
                String[] ends = range.split("-");
                cores += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
            }
            return cores;
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** The java command that runs this same jar, with the JVM flags the launcher uses. */
    static List<String> javaCommand(List<String> jvmFlags, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar = new File(BenchProcess.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                .getPath().replaceFirst("^nested:", "").replaceFirst("/!BOOT-INF.*$", "").replaceFirst("!/.*$", "");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-jar", jar));
        cmd.addAll(List.of(args));
        return cmd;
    }

    void awaitHttp(URI url, Duration limit) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() < 500) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IOException(name + " did not answer " + url + " within " + limit.toSeconds() + " s; see " + log);
    }

    /** Resident set size and its high-water mark, in MiB, from /proc. */
    Optional<long[]> rssMiB() {
        return rssKiB().map(r -> new long[] {r[0] / 1024, r[1] / 1024});
    }

    /** Resident set size and its high-water mark, in KiB, from /proc. */
    Optional<long[]> rssKiB() {
        try {
            long rss = -1;
            long hwm = -1;
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("\\D", ""));
                } else if (line.startsWith("VmHWM:")) {
                    hwm = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
            return rss < 0 ? Optional.empty() : Optional.of(new long[] {rss, hwm});
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Starts a command on every core of the machine: the benchmark itself may run pinned, and a
     * child inherits that, but the launcher's start is measured as a user would run it.
     */
    static BenchProcess startOnAllCores(String name, List<String> command, Map<String, String> env, Set<String> unset,
                                        Path logDir) throws IOException {
        List<String> full = new ArrayList<>();
        if (canPin()) {
            full.addAll(List.of("taskset", "-c", "0-" + (machineCores() - 1)));
        }
        full.addAll(command);
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeAll(unset);
        builder.environment().putAll(env);
        return new BenchProcess(name, builder.start(), log);
    }

    /** Whether the process is still running. */
    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
