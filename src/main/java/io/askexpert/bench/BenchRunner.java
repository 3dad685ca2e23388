package io.askexpert.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The mode 1 overhead benchmark: starts the mock LLM (core 1) and the service on the embedded
 * default (core 0), then for each concurrency measures the mock directly and through the service
 * back to back, so both see the same machine at the same moment. The difference is what the
 * service adds. Writes {@code report.json} and {@code report.md} to the output directory.
 */
public final class BenchRunner {

    private static final String QUESTION = "What does FDA expect in the CMC section of an IND for a small molecule?";

    private final BenchPlan plan;
    private final PrintStream out;
    private final BiFunction<String, String, String> tokenMinter;
    private final JsonMapper json = JsonMapper.builder().build();
    private final SseLoadGenerator load = new SseLoadGenerator();

    /** @param tokenMinter (secret, user) → a bearer token the service accepts */
    public BenchRunner(BenchPlan plan, PrintStream out, BiFunction<String, String, String> tokenMinter) {
        this.plan = plan;
        this.out = out;
        this.tokenMinter = tokenMinter;
    }

    public Path run() throws IOException, InterruptedException {
        Files.createDirectories(plan.outDir());
        Path dataDir = Files.createTempDirectory("ask-expert-bench");
        int mockPort = freePort();
        int servicePort = freePort();
        String secret = java.util.HexFormat.of().formatHex(java.security.SecureRandom.getSeed(24));
        try (BenchProcess mock = BenchProcess.start("mock-llm", BenchProcess.javaCommand(List.of("-Xmx1g"),
                        "mock-llm", "--port", String.valueOf(mockPort), "--ttft-ms", String.valueOf(plan.mockTtft().toMillis()),
                        "--tokens-per-second", String.valueOf(plan.tokensPerSecond()),
                        "--answer-tokens", String.valueOf(plan.answerTokens())),
                Map.of(), Optional.of(1), plan.outDir());
             BenchProcess service = BenchProcess.start("service", BenchProcess.javaCommand(List.of("-Xmx2g"), "serve"),
                     serviceEnv(mockPort, servicePort, dataDir, secret), Optional.of(0), plan.outDir())) {
            URI mockUri = URI.create("http://127.0.0.1:" + mockPort);
            URI serviceUri = URI.create("http://127.0.0.1:" + servicePort);
            out.println("Starting mock LLM on :" + mockPort + " and the service on :" + servicePort
                    + (BenchProcess.canPin() ? " (pinned to cores 1 and 0)" : " (not pinned: taskset or a second core missing)"));
            mock.awaitHttp(mockUri.resolve("/_mock/stats"), Duration.ofSeconds(60));
            service.awaitHttp(serviceUri.resolve("/health"), Duration.ofSeconds(120));
            String token = tokenMinter.apply(secret, "bench-user");
            String agent = firstAgent(serviceUri, token);
            out.println("Measuring against expert '" + agent + "'");

            warmUp(mockUri, serviceUri, token, agent);
            List<AddedLatency> added = new ArrayList<>();
            Map<String, Object> raw = new LinkedHashMap<>();
            for (boolean rag : plan.ragOn() ? List.of(false, true) : List.of(false)) {
                for (int streams : plan.concurrency()) {
                    List<LoadReport> direct = new ArrayList<>();
                    List<LoadReport> through = new ArrayList<>();
                    for (int r = 0; r < plan.repeats(); r++) {
                        direct.add(load.run("direct-" + streams, directSpec(mockUri, streams)));
                        through.add(load.run("service-" + streams + (rag ? "-rag" : ""),
                                serviceSpec(serviceUri, token, agent, streams, rag)));
                    }
                    AddedLatency a = AddedLatency.of(rag ? "mode1 RAG on" : "mode1 RAG off", streams, direct, through);
                    added.add(a);
                    raw.put((rag ? "rag_on_" : "rag_off_") + streams, Map.of("direct", direct, "service", through));
                    out.printf("%-14s %5d streams: added TTFT p50 %s ms, p99 %s ms; added gap p99 %s ms; lost-frame streams %d%n",
                            a.scenario(), streams, a.ttftP50(), a.ttftP99(), a.gapP99(), a.lostFrameStreams());
                }
            }
            int held = 0;
            List<LoadReport> probes = new ArrayList<>();
            for (int streams : plan.probe()) {
                LoadReport report = load.run("probe-" + streams, serviceSpec(serviceUri, token, agent, streams, false)
                        .withRampUp(Duration.ofSeconds(Math.max(2, streams / 500))));
                probes.add(report);
                out.printf("probe %5d streams: completed %d, lost-frame streams %d, errors %d%n",
                        streams, report.completed(), report.streamsWithLostFrames(), report.errors());
                if (report.streamsWithLostFrames() > 0 || report.errors() > 0) {
                    break;
                }
                held = streams;
            }
            long[] rss = service.rssMiB().orElse(new long[] {-1, -1});
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("generated_at", Instant.now().toString());
            summary.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(), "pinned", BenchProcess.canPin()));
            summary.put("plan", plan.toString());
            summary.put("added", added);
            summary.put("max_streams_without_lost_frames", held);
            summary.put("probes", probes);
            summary.put("service_rss_mib", rss[0]);
            summary.put("service_rss_peak_mib", rss[1]);
            summary.put("raw", raw);
            Path jsonFile = plan.outDir().resolve("report.json");
            json.writerWithDefaultPrettyPrinter().writeValue(jsonFile.toFile(), summary);
            Path md = plan.outDir().resolve("report.md");
            Files.writeString(md, BenchReport.markdown(plan, added, held, probes, rss));
            out.println("Report: " + md);
            return md;
        }
    }

    private Map<String, String> serviceEnv(int mockPort, int servicePort, Path dataDir, String secret) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PORT", String.valueOf(servicePort));
        env.put("ASK_EXPERT_DATA_DIR", dataDir.toString());
        env.put("JWT_SECRET", secret);
        env.put("ANTHROPIC_API_KEY", "bench-key-not-secret");
        env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + mockPort);
        env.put("LANGFUSE_ENABLED", "false");
        env.put("LOG_LEVEL", "WARN");
        // The benchmark is one user opening thousands of streams: lift the per-user limits.
        env.put("RATE_LIMIT_INTERACTIVE_PER_MINUTE", "100000000");
        env.put("RATE_LIMIT_AGENT_LIST_PER_MINUTE", "100000000");
        return env;
    }

    private void warmUp(URI mockUri, URI serviceUri, String token, String agent) {
        out.println("Warming up (discarded)...");
        for (int i = 0; i < 3; i++) {
            load.run("warmup-direct", directSpec(mockUri, 100));
            load.run("warmup-service", serviceSpec(serviceUri, token, agent, 100, false));
            load.run("warmup-service-rag", serviceSpec(serviceUri, token, agent, 20, true));
        }
    }

    private LoadSpec directSpec(URI mock, int streams) {
        String body = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":1024,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}";
        return new LoadSpec(mock.resolve("/v1/messages"), body,
                Map.of("x-api-key", "bench-key-not-secret", "anthropic-version", "2023-06-01"), streams,
                Duration.ofSeconds(120), List.of("content_block_delta"), List.of("message_stop", "error"),
                plan.answerTokens(), Duration.ZERO);
    }

    private LoadSpec serviceSpec(URI service, String token, String agent, int streams, boolean rag) {
        String body = "{\"query\":\"" + QUESTION + "\",\"agent_id\":\"" + agent + "\",\"options\":{\"enable_rag\":"
                + rag + ",\"include_reasoning\":false}}";
        return new LoadSpec(service.resolve("/api/v1/expert/mode1/stream"), body,
                Map.of("Authorization", "Bearer " + token), streams, Duration.ofSeconds(120), List.of("token"),
                List.of("done", "error", "cancelled"), plan.answerTokens(), Duration.ZERO);
    }

    private String firstAgent(URI service, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        service.resolve("/api/v1/expert/agents?limit=1&level=2"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode agents = json.readTree(response.body()).path("agents");
        if (response.statusCode() != 200 || agents.isEmpty()) {
            throw new IOException("the service lists no expert (HTTP " + response.statusCode() + ")");
        }
        return agents.get(0).path("slug").asString();
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
