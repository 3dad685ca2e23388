package io.askexpert.bench;

import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ask-expert bench missions}: what missions waiting for a person cost one service, and how
 * soon a decided one resumes. One {@code serve} process (API and worker, {@code WORKERS} slots) with
 * the mock LLM in this process; N missions are created and started, each plans (one model call)
 * and parks at its {@code plan_approval} checkpoint. Measured while they wait: the service's live
 * platform threads ({@code jvm_threads_live_threads}), mission threads (virtual threads named
 * {@code mission-…} in a {@code jcmd Thread.dump_to_file} dump), busy worker slots
 * ({@code ask_expert_active_missions}) and resident memory, against the same before the missions.
 * Then each is decided over HTTP while a client follows its stream: the resume latency is from the
 * decision's HTTP response to the mission's next event on that stream (the first event of its
 * resumed attempt), p50/p99 over all of them.
 */
public final class MissionBench {

    /** What to run. */
    public record Options(int missions, int workers, int concurrency, int deciders, Path outDir,
                          @Nullable String databaseUrl) {
    }

    private static final Pattern LIVE_THREADS = Pattern.compile("(?m)^jvm_threads_live_threads\\{[^}]*} ([0-9.eE+]+)");
    private static final Pattern ACTIVE = Pattern.compile("(?m)^ask_expert_active_missions\\{[^}]*} ([0-9.eE+]+)");
    private static final Pattern WAITING = Pattern.compile(
            "(?m)^ask_expert_missions\\{[^}]*state=\"waiting_for_human\"[^}]*} ([0-9.eE+]+)");
    private static final Pattern COMPLETED = Pattern.compile(
            "(?m)^ask_expert_missions\\{[^}]*state=\"completed\"[^}]*} ([0-9.eE+]+)");

    private final Options options;
    private final PrintStream out;
    private final BiFunction<String, String, String> tokenMinter;
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String secret = java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(24));
    private URI service;
    private String token;

    public MissionBench(Options options, PrintStream out, BiFunction<String, String, String> tokenMinter) {
        this.options = options;
        this.out = out;
        this.tokenMinter = tokenMinter;
    }

    /** One look at the service: threads, busy slots, memory. */
    record Sample(long liveThreads, long missionThreads, long engineThreads, long busySlots, long rssMiB) {
    }

    public int run() throws Exception {
        Files.createDirectories(options.outDir());
        try (MockLlmServer mock = MockLlmServer.start(MockLlmConfig.forTests().withTiming(Duration.ofMillis(5), 2000, 20));
             BenchProcess serve = startService(mock)) {
            token = "Bearer " + tokenMinter.apply(secret, "bench-missions");
            String agent = firstAgent();
            Sample idle = sample(serve);
            out.printf("Service up (pid %d, WORKERS=%d); idle: %s%n", serve.pid(), options.workers(), idle);

            long t0 = System.nanoTime();
            List<String> ids = parallel(options.missions(), options.concurrency(), i -> createAndStart(agent, i));
            awaitMetric(WAITING, options.missions(), Duration.ofMinutes(20));
            long parkSeconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
            Sample parked = sample(serve);
            out.printf("%d missions waiting for a person after %d s: %s%n", ids.size(), parkSeconds, parked);

            long d0 = System.nanoTime();
            List<Long> latenciesMicros = parallel(ids.size(), options.deciders(), i -> decideAndTime(ids.get(i)));
            long decideSeconds = Duration.ofNanos(System.nanoTime() - d0).toSeconds();
            awaitMetric(COMPLETED, options.missions(), Duration.ofMinutes(20));
            Sample after = sample(serve);
            List<Long> sorted = latenciesMicros.stream().sorted().toList();
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("missions", ids.size());
            report.put("workers", options.workers());
            report.put("deciders", options.deciders());
            report.put("load_average", loadAverage());
            report.put("cores", BenchProcess.machineCores());
            report.put("idle", idle);
            report.put("parked", parked);
            report.put("after_all_completed", after);
            report.put("seconds_to_park_all", parkSeconds);
            report.put("seconds_to_decide_all", decideSeconds);
            report.put("resume_ms_p50", pct(sorted, 0.50));
            report.put("resume_ms_p90", pct(sorted, 0.90));
            report.put("resume_ms_p99", pct(sorted, 0.99));
            report.put("resume_ms_max", pct(sorted, 1.0));
            Files.writeString(options.outDir().resolve("missions.json"), json.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(report));
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
            return 0;
        }
    }

    private BenchProcess startService(MockLlmServer mock) throws IOException, InterruptedException {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path data = Files.createTempDirectory("ask-expert-bench-missions");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PORT", String.valueOf(port));
        env.put("ASK_EXPERT_DATA_DIR", data.toString());
        env.put("JWT_SECRET", secret);
        env.put("ANTHROPIC_API_KEY", "bench-key-not-secret");
        env.put("ANTHROPIC_BASE_URL", mock.baseUri().toString());
        env.put("LANGFUSE_ENABLED", "false");
        env.put("LOG_LEVEL", "WARN");
        env.put("RATE_LIMITS_ENABLED", "false");
        env.put("WORKERS", String.valueOf(options.workers()));
        env.put("DATABASE_POOL_SIZE", "10");
        if (options.databaseUrl() != null) {
            env.put("DATABASE_URL", options.databaseUrl());
        }
        BenchProcess p = BenchProcess.start("service", BenchProcess.javaCommand(List.of("-Xmx1g"), "serve",
                "--ask-expert.knowledge.load-starter=false"), env, Optional.empty(), options.outDir());
        service = URI.create("http://127.0.0.1:" + port);
        p.awaitHttp(service.resolve("/health"), Duration.ofMinutes(5));
        return p;
    }

    private String createAndStart(String agent, int n) throws IOException, InterruptedException {
        String body = json.writeValueAsString(Map.of("goal", "Benchmark mission " + n
                        + ": compile the expedited reporting obligations for the programme", "agent_id", agent,
                "options", Map.of("max_steps", 1, "budget_limit_usd", 5, "require_checkpoints", true,
                        "checkpoint_types", List.of("plan_approval"), "checkpoint_timeout_s", 86_400)));
        JsonNode created = json.readTree(send("POST", "/api/v1/expert/mode3/mission/create", body, 201));
        String id = created.get("mission_id").asString();
        try (InputStream in = stream(id)) {
            in.read(); // the first byte: the run exists and the mission is queued; the mission goes on without us
        }
        return id;
    }

    /** Follows the mission's stream to its checkpoint, decides it, and times the next event. */
    private long decideAndTime(String id) throws Exception {
        try (InputStream in = stream(id);
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String checkpointId = null;
            while (checkpointId == null) {
                String[] event = next(reader);
                if (event == null) {
                    throw new IOException("the stream of " + id + " ended before its checkpoint");
                }
                if (event[0].equals("checkpoint")) {
                    checkpointId = json.readTree(event[1]).get("id").asString();
                }
            }
            send("POST", "/api/v1/expert/mode3/checkpoint/" + checkpointId + "/approve", "{\"decision\":\"approve\"}", 200);
            long decided = System.nanoTime();
            while (true) {
                String[] event = next(reader);
                if (event == null) {
                    throw new IOException("the stream of " + id + " ended right after the decision");
                }
                if (!event[0].equals("heartbeat")) {
                    return (System.nanoTime() - decided) / 1_000;
                }
            }
        }
    }

    /** The next event's name and data, or null at the end of the stream. */
    private static String @Nullable [] next(BufferedReader reader) throws IOException {
        String name = null;
        String data = null;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isEmpty()) {
                if (name != null && data != null) {
                    return new String[] {name, data};
                }
                continue;
            }
            if (line.startsWith("event: ")) {
                name = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data = line.substring(6);
            }
        }
        return null;
    }

    private InputStream stream(String missionId) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(service.resolve("/api/v1/expert/mode3/stream"))
                .header("Authorization", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"mission_id\":\"" + missionId + "\"}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            String text = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
            throw new IOException("stream of " + missionId + " answered HTTP " + r.statusCode() + ": " + text);
        }
        return r.body();
    }

    private String send(String method, String path, @Nullable String body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(service.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IOException(method + " " + path + " answered HTTP " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private String firstAgent() throws IOException, InterruptedException {
        JsonNode agents = json.readTree(send("GET", "/api/v1/expert/agents?limit=1&level=2", null, 200)).path("agents");
        if (agents.isEmpty()) {
            throw new IOException("the catalogue lists no level-2 expert");
        }
        return agents.get(0).path("slug").asString();
    }

    private Sample sample(BenchProcess serve) throws IOException, InterruptedException {
        String metrics = send("GET", "/metrics", null, 200);
        long rss = serve.rssMiB().map(r -> r[0]).orElse(-1L);
        long[] threads = missionThreads(serve.pid());
        return new Sample(PrometheusText.value(LIVE_THREADS, metrics), threads[0], threads[1], PrometheusText.value(ACTIVE, metrics), rss);
    }

    /**
     * From a jcmd dump (virtual threads included): threads named {@code mission-<id>} (one per mission
     * a worker runs) and the engine's fixed ones ({@code mission-dispatcher}, {@code mission-leases},
     * {@code mission-run-retention}).
     */
    private long[] missionThreads(long pid) throws IOException, InterruptedException {
        Path dump = options.outDir().toAbsolutePath().resolve("threads-" + System.nanoTime() + ".json");
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.dump_to_file", "-format=json",
                dump.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0 || !Files.exists(dump)) {
            return new long[] {-1, -1};
        }
        Matcher m = Pattern.compile("\"name\": \"mission-([^\"]*)\"").matcher(Files.readString(dump));
        long perMission = 0;
        long engine = 0;
        while (m.find()) {
            if (m.group(1).matches("[0-9a-f]{8}-.*")) {
                perMission++;
            } else {
                engine++;
            }
        }
        Files.deleteIfExists(dump);
        return new long[] {perMission, engine};
    }

    private void awaitMetric(Pattern p, int atLeast, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (PrometheusText.value(p, send("GET", "/metrics", null, 200)) < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new IOException("missions did not reach " + p.pattern() + " >= " + atLeast + " within " + limit);
            }
            Thread.sleep(500);
        }
    }

    @FunctionalInterface
    private interface Task<T> {
        T run(int i) throws Exception;
    }

    private static <T> List<T> parallel(int n, int threads, Task<T> task) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit((Callable<T>) () -> task.run(index)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }

    private static double pct(List<Long> sortedMicros, double q) {
        if (sortedMicros.isEmpty()) {
            return -1;
        }
        int i = Math.min(sortedMicros.size() - 1, Math.max(0, (int) Math.ceil(q * sortedMicros.size()) - 1));
        return sortedMicros.get(i) / 1000.0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
