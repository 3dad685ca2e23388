package io.askexpert.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two processes under measurement: the mock LLM on core 1 and the service on the embedded
 * default on core 0. The mock can be restarted on the same port with another answer shape; the
 * service keeps pointing at it.
 */
final class BenchServices implements AutoCloseable {

    static final String MODE1_STREAM = "/api/v1/expert/mode1/stream";
    private static final Pattern ACTIVE_CALLS =
            Pattern.compile("(?m)^llm_active_streams(?:\\{[^}]*})? ([0-9.eE+]+)");
    private static final String QUESTION = "What does FDA expect in the CMC section of an IND for a small molecule?";

    private final Path outDir;
    private final boolean profile;
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final int mockPort;
    private final String secret = java.util.HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(24));
    private @Nullable BenchProcess mock;
    private @Nullable BenchProcess service;
    private @Nullable Path dataDir;
    private @Nullable URI serviceUri;
    private @Nullable String token;
    private @Nullable String agent;

    BenchServices(BenchPlan plan) throws IOException {
        this(plan.outDir(), plan.profile());
    }

    BenchServices(Path outDir, boolean profile) throws IOException {
        this.outDir = outDir;
        this.profile = profile;
        this.mockPort = freePort();
    }

    URI mockUri() {
        return URI.create("http://127.0.0.1:" + mockPort);
    }

    /** Starts (or restarts) the mock with this answer shape and waits until it answers. */
    void startMock(BenchPlan.MockShape shape) throws IOException, InterruptedException {
        if (mock != null) {
            mock.close();
        }
        mock = BenchProcess.start("mock-llm", BenchProcess.javaCommand(List.of("-Xmx1g"), "mock-llm",
                        "--port", String.valueOf(mockPort), "--ttft-ms", String.valueOf(shape.ttft().toMillis()),
                        "--tokens-per-second", String.valueOf(shape.tokensPerSecond()),
                        "--answer-tokens", String.valueOf(shape.answerTokens())),
                Map.of(), Optional.of(1), outDir);
        mock.awaitHttp(mockUri().resolve("/_mock/stats"), Duration.ofSeconds(60));
    }

    /**
     * Starts the service, mints a token, picks an expert and sends one mode 1 question.
     *
     * @return null when the service streams mode 1, otherwise why the through-service half cannot be measured
     */
    @Nullable String startService(BiFunction<String, String, String> tokenMinter) throws InterruptedException {
        return startService(tokenMinter, List.of("-Xmx2g"), Map.of());
    }

    /**
     * As {@link #startService(BiFunction)}, with these JVM flags and extra environment (a
     * {@code DATABASE_URL} and {@code REDIS_URL} instead of the embedded default).
     */
    @Nullable String startService(BiFunction<String, String, String> tokenMinter, List<String> jvmFlags,
                                  Map<String, String> extraEnv) throws InterruptedException {
        try {
            int port = freePort();
            dataDir = Files.createTempDirectory("ask-expert-bench");
            List<String> flags = new ArrayList<>(jvmFlags);
            if (profile) {
                flags.add("-XX:StartFlightRecording=filename=" + jfrFile() + ",settings=profile,dumponexit=true");
            }
            Map<String, String> env = serviceEnv(port, dataDir, secret);
            env.putAll(extraEnv);
            service = BenchProcess.start("service", BenchProcess.javaCommand(flags, "serve"), env, Optional.of(0), outDir);
            serviceUri = URI.create("http://127.0.0.1:" + port);
            service.awaitHttp(serviceUri.resolve("/health"), Duration.ofSeconds(180));
        } catch (IOException e) {
            return "the service did not start: " + e.getMessage();
        }
        token = tokenMinter.apply(secret, "bench-user");
        String noAgent = null;
        try {
            agent = firstAgent();
        } catch (IOException e) {
            noAgent = "no expert to ask: " + e.getMessage();
            agent = "bench-no-such-expert";
        }
        // Asked even without an expert: a missing route is the more useful thing to report.
        String refused = preflight();
        return refused != null && refused.contains("no route") ? refused : noAgent != null ? noAgent : refused;
    }

    Path jfrFile() {
        return outDir.toAbsolutePath().resolve("service.jfr");
    }

    private @Nullable String preflight() throws InterruptedException {
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(serviceUri.resolve(MODE1_STREAM))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                    .POST(HttpRequest.BodyPublishers.ofString(mode1Body(false))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                if (response.statusCode() == 404 && !text.contains("AGENT_NOT_FOUND")) {
                    return "the service has no route " + MODE1_STREAM + " (HTTP 404): mode 1 is not in this build";
                }
                if (response.statusCode() != 200) {
                    return "a mode 1 question was refused with HTTP " + response.statusCode() + ": " + excerpt(text);
                }
                if (!text.contains("event: token")) {
                    return "a mode 1 stream carried no token event: " + excerpt(text);
                }
                return null;
            }
        } catch (IOException e) {
            return "a mode 1 question failed: " + e.getMessage();
        }
    }

    LoadSpec directSpec(int streams, BenchPlan.MockShape shape) {
        String body = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":1024,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}";
        return new LoadSpec(mockUri().resolve("/v1/messages"), body,
                Map.of("x-api-key", "bench-key-not-secret", "anthropic-version", "2023-06-01"), streams,
                Duration.ofSeconds(120), List.of("content_block_delta"), List.of("message_stop", "error"),
                shape.answerTokens(), Duration.ZERO, 1, 0);
    }

    LoadSpec serviceSpec(int streams, boolean rag, BenchPlan.MockShape shape) {
        return new LoadSpec(serviceUri.resolve(MODE1_STREAM), mode1Body(rag), Map.of("Authorization", "Bearer " + token),
                streams, Duration.ofSeconds(120), List.of("token"), List.of("done", "error", "cancelled"),
                shape.answerTokens(), Duration.ZERO, 1, 0);
    }

    private String mode1Body(boolean rag) {
        return "{\"query\":\"" + QUESTION + "\",\"agent_id\":\"" + agent + "\",\"options\":{\"enable_rag\":" + rag
                + ",\"include_reasoning\":false}}";
    }

    BenchSummary.Rss rss(long idleMiB) {
        return service == null ? BenchSummary.Rss.UNKNOWN
                : service.rssMiB().map(r -> new BenchSummary.Rss(idleMiB, r[0], r[1])).orElse(BenchSummary.Rss.UNKNOWN);
    }

    /**
     * Opens {@code streams} mode 1 streams while the mock holds back its first token, samples the
     * service's resident memory before and while they are all open, then lets them finish.
     */
    ServiceMeasures.IdleStreams idleStreams(SseLoadGenerator load, int streams, BenchPlan.MockShape shape)
            throws InterruptedException {
        long before = service.rssKiB().map(r -> r[0]).orElse(-1L);
        Duration ramp = Duration.ofMillis(Math.max(1000, streams));
        java.util.concurrent.CompletableFuture<LoadReport> run = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> load.run("idle streams " + streams, serviceSpec(streams, false, shape).withRampUp(ramp)),
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        // Every stream is open (its run event sent) well before the mock's first token; the highest
        // of a few samples, so a collection that happens to run at one instant does not hide them.
        Thread.sleep(ramp.toMillis() + 2000);
        long held = -1;
        for (int i = 0; i < 5; i++) {
            held = Math.max(held, service.rssKiB().map(r -> r[0]).orElse(-1L));
            Thread.sleep(1000);
        }
        LoadReport report = run.join();
        return new ServiceMeasures.IdleStreams(streams, report.completed(), before, held);
    }

    /**
     * Waits until the service holds no model call ({@code llm_active_streams} 0), at most {@code limit}:
     * the idle phase's calls (streams refused or cut while the mock held its first token) must not still
     * be in flight when the mock is replaced, or their failures count against the provider's circuit
     * breaker and the next measurement starts with it open.
     *
     * @return the calls still in flight when it stopped waiting (0 when drained, -1 when unreadable)
     */
    long awaitModelCallsDrained(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long active = -1;
        while (serviceUri != null) {
            try {
                String metrics = http.send(HttpRequest.newBuilder(serviceUri.resolve("/metrics"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
                active = PrometheusText.value(ACTIVE_CALLS, metrics);
            } catch (IOException e) {
                active = -1;
            }
            if (active == 0 || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(250);
        }
        return active;
    }

    /** The running service, or empty before it started. */
    Optional<BenchProcess> service() {
        return Optional.ofNullable(service);
    }

    /** The mock's counters ({@code GET /_mock/stats}). */
    JsonNode mockStats() throws IOException, InterruptedException {
        return json.readTree(http.send(HttpRequest.newBuilder(mockUri().resolve("/_mock/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    long rssNowMiB() {
        return service == null ? -1 : service.rssMiB().map(r -> r[0]).orElse(-1L);
    }

    private Map<String, String> serviceEnv(int servicePort, Path data, String jwtSecret) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PORT", String.valueOf(servicePort));
        env.put("ASK_EXPERT_DATA_DIR", data.toString());
        env.put("JWT_SECRET", jwtSecret);
        env.put("ANTHROPIC_API_KEY", "bench-key-not-secret");
        env.put("ANTHROPIC_BASE_URL", mockUri().toString());
        env.put("LANGFUSE_ENABLED", "false");
        env.put("LOG_LEVEL", "WARN");
        // The benchmark is one user opening thousands of streams: no per-user limits (the two
        // ceilings stay in case a build only knows those).
        env.put("RATE_LIMITS_ENABLED", "false");
        env.put("RATE_LIMIT_INTERACTIVE_PER_MINUTE", "100000000");
        env.put("RATE_LIMIT_AGENT_LIST_PER_MINUTE", "100000000");
        return env;
    }

    private String firstAgent() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        serviceUri.resolve("/api/v1/expert/agents?limit=1&level=2"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("listing experts answered HTTP " + response.statusCode() + ": " + excerpt(response.body()));
        }
        JsonNode agents = json.readTree(response.body()).path("agents");
        if (agents.isEmpty()) {
            throw new IOException("the catalogue lists no level-2 expert");
        }
        return agents.get(0).path("slug").asString();
    }

    private static String excerpt(String text) {
        String one = text.replaceAll("\\s+", " ").strip();
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
        if (mock != null) {
            mock.close();
        }
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory left behind is harmless
            }
        }
    }
}
