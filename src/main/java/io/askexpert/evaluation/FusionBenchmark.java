package io.askexpert.evaluation;

import io.askexpert.agents.AgentCatalog;
import io.askexpert.bench.KeepAliveJsonClient;
import io.askexpert.bench.Percentiles;
import io.askexpert.fusion.FusionCatalogue;
import io.askexpert.fusion.FusionEngine;
import io.askexpert.fusion.FusionRequest;
import io.askexpert.fusion.FusionResult;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Latency of expert selection, measured two ways on the same catalogue: through
 * {@code POST /mode2/fusion/select} over HTTP (what a client sees) and as a direct engine call
 * (what fusion itself costs). The question's embedding is reported apart from fusion, as the
 * target (p99 ≤ 10 ms at 1,000 experts) excludes it, and so is each source's own time. Requests
 * are sequential, so the numbers are latency, not throughput; every question is routed afresh
 * (run the service with the cache off).
 */
public final class FusionBenchmark {

    /**
     * @param httpTotal          client wall time of one HTTP selection, embedding included
     * @param httpWithoutEmbedding the same minus the server-reported embedding time
     * @param serverFusion       fusion time the server reported for the HTTP selections
     * @param engineFusion       a direct engine call's fusion time (sources, RRF, synergy), without the embedding
     * @param engineTotal        a direct engine call's wall time, embedding included
     * @param embedding          the question's embedding alone
     * @param perSource          each source's own time in the direct engine calls (vector, graph, relational)
     */
    public record Run(String label, int experts, int requests, Percentiles httpTotal, Percentiles httpWithoutEmbedding,
                      Percentiles serverFusion, Percentiles engineFusion, Percentiles engineTotal,
                      Percentiles embedding, Map<String, Percentiles> perSource, int degraded, int errors) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FusionEngine engine;
    private final FusionCatalogue routable;
    private final AgentCatalog catalog;
    private int experts;

    public FusionBenchmark(FusionEngine engine, FusionCatalogue routable, AgentCatalog catalog) {
        this.engine = engine;
        this.routable = routable;
        this.catalog = catalog;
    }

    /** Writes a synthetic catalogue of {@code size} experts (public and tenant-private) into the catalogue. */
    public int loadSynthetic(int size, long seed) {
        List<SyntheticCatalogue.Expert> experts = SyntheticCatalogue.generate(size, seed);
        Map<String, SyntheticCatalogue.Expert> byId = new HashMap<>();
        Map<String, SyntheticCatalogue.Expert> bySlug = new HashMap<>();
        experts.forEach(e -> {
            byId.put(e.id(), e);
            bySlug.put(e.slug(), e);
        });
        Map<String, List<Object>> byScope = new LinkedHashMap<>();
        for (SyntheticCatalogue.Expert e : experts) {
            byScope.computeIfAbsent(e.tenantId() == null ? "" : e.tenantId(), k -> new ArrayList<>()).add(record(e, byId, bySlug));
        }
        int written = 0;
        // Public experts first: tenant-private ones may report to them.
        for (String scope : byScope.keySet().stream().sorted().toList()) {
            var report = catalog.importRecords(scope.isEmpty() ? null : scope, byScope.get(scope), n -> { });
            written += (int) report.results().stream()
                    .filter(r -> r.outcome() != io.askexpert.agents.ImportReport.Outcome.FAILED).count();
        }
        return written;
    }

    private static Map<String, Object> record(SyntheticCatalogue.Expert e, Map<String, SyntheticCatalogue.Expert> byId,
                                              Map<String, SyntheticCatalogue.Expert> bySlug) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("slug", e.slug());
        r.put("name", e.name());
        r.put("level", e.level());
        r.put("specialty", e.specialty());
        r.put("description", e.description());
        r.put("domains", e.domains());
        r.put("capabilities", e.capabilities());
        r.put("regions", e.regions());
        r.put("therapeutic_areas", e.therapeuticAreas());
        r.put("phases", e.phases());
        r.put("knowledge_namespaces", List.of(e.slug()));
        SyntheticCatalogue.Expert manager = e.reportsTo() == null ? null : byId.get(e.reportsTo());
        if (manager != null && (manager.tenantId() == null || manager.tenantId().equals(e.tenantId()))) {
            r.put("reports_to", manager.slug());
        }
        // A collaborator must be visible from the expert's own scope.
        List<String> peers = e.collaboratesWith().stream().filter(slug -> {
            SyntheticCatalogue.Expert o = bySlug.get(slug);
            return o != null && (o.tenantId() == null || o.tenantId().equals(e.tenantId()));
        }).distinct().toList();
        r.put("collaborates_with", peers);
        return r;
    }

    /** Waits until the fusion snapshot holds the catalogue as it is now; returns its size. */
    public int awaitCatalogue(Duration timeout) throws TimeoutException {
        experts = routable.awaitCurrent(timeout, done -> { });
        return experts;
    }

    public Run measure(String label, URI endpoint, String bearer, String tenant, List<String> questions, int warmup)
            throws IOException {
        try (KeepAliveJsonClient http = new KeepAliveJsonClient(endpoint, Map.of("Authorization", bearer))) {
            return measure(label, http, tenant, questions, warmup);
        }
    }

    private Run measure(String label, KeepAliveJsonClient http, String tenant, List<String> questions, int warmup)
            throws IOException {
        for (int i = 0; i < warmup; i++) {
            String q = questions.get(i % questions.size()) + " (warm-up " + i + ")";
            post(http, q);
            engine.selectFresh(new FusionRequest(q, tenant, 3, Map.of(), null));
        }
        int n = questions.size();
        List<Long> httpTotal = new ArrayList<>();
        List<Long> httpBare = new ArrayList<>();
        List<Long> serverFusion = new ArrayList<>();
        int degraded = 0;
        int errors = 0;
        for (String question : questions) {
            long started = System.nanoTime();
            KeepAliveJsonClient.Response response = post(http, question);
            long total = System.nanoTime() - started;
            if (response.status() != 200) {
                errors++;
                continue;
            }
            JsonNode body = JSON.readTree(response.body());
            JsonNode timings = body.path("timings");
            httpTotal.add(total);
            httpBare.add(total - (long) (timings.path("embedding_ms").asDouble() * 1e6));
            serverFusion.add((long) (timings.path("fusion_ms").asDouble() * 1e6));
            degraded += body.path("degraded").asBoolean() ? 1 : 0;
        }
        long[] engineFusion = new long[n];
        long[] engineTotal = new long[n];
        long[] embedding = new long[n];
        Map<String, List<Long>> sources = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            long started = System.nanoTime();
            FusionResult result = engine.selectFresh(new FusionRequest(questions.get(i), tenant, 3, Map.of(), null));
            engineTotal[i] = System.nanoTime() - started;
            engineFusion[i] = (long) (result.timings().fusionMs() * 1e6);
            embedding[i] = (long) (result.timings().embeddingMs() * 1e6);
            degraded += result.evidence().degraded() ? 1 : 0;
            result.timings().perSourceMs().forEach((source, ms) ->
                    sources.computeIfAbsent(source, k -> new ArrayList<>()).add((long) (ms * 1e6)));
        }
        Map<String, Percentiles> perSource = new LinkedHashMap<>();
        sources.forEach((source, nanos) -> perSource.put(source, percentiles(nanos)));
        return new Run(label, experts, n, percentiles(httpTotal), percentiles(httpBare),
                percentiles(serverFusion), Percentiles.ofNanos(engineFusion), Percentiles.ofNanos(engineTotal),
                Percentiles.ofNanos(embedding), perSource, degraded, errors);
    }

    private static Percentiles percentiles(List<Long> nanos) {
        return Percentiles.ofNanos(nanos.stream().mapToLong(Long::longValue).toArray());
    }

    private static KeepAliveJsonClient.Response post(KeepAliveJsonClient http, String question) throws IOException {
        return http.post(JSON.writeValueAsString(Map.of("query", question, "max_experts", 3)));
    }

    /** Questions for a catalogue: generated in the synthetic catalogue's vocabulary. */
    public static List<String> syntheticQuestions(int count, long seed) {
        return SyntheticCatalogue.questions(count, seed);
    }

    /** {@code count} questions taken in turn from a labelled routing file (its {@code query} fields). */
    public static List<String> questionsFrom(java.nio.file.Path file, int count) throws IOException {
        List<String> pool = RoutingEvaluation.read(file).stream().map(RoutingEvaluation.Case::query).toList();
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(pool.get(i % pool.size()));
        }
        return out;
    }

    /** Two Markdown tables, in milliseconds: the paths, then each source's own time (direct engine calls). */
    public static String format(List<Run> runs) {
        StringBuilder b = new StringBuilder();
        b.append("| catalogue | experts | requests | HTTP p50 / p99 | HTTP without embedding p50 / p99 "
                + "| engine fusion p50 / p99 | embedding p50 / p99 | degraded | errors |\n");
        b.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %s | %d | %d |%n",
                    r.label(), r.experts(), r.requests(), pair(r.httpTotal()), pair(r.httpWithoutEmbedding()),
                    pair(r.engineFusion()), pair(r.embedding()), r.degraded(), r.errors()));
        }
        b.append("\n| catalogue | experts | vector p50 / p99 | graph p50 / p99 | relational p50 / p99 "
                + "| engine fusion p90 / max | server-reported fusion p50 / p99 |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (Run r : runs) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %.2f / %.2f | %s |%n", r.label(),
                    r.experts(), pair(r.perSource().getOrDefault("vector", Percentiles.EMPTY)),
                    pair(r.perSource().getOrDefault("graph", Percentiles.EMPTY)),
                    pair(r.perSource().getOrDefault("relational", Percentiles.EMPTY)), r.engineFusion().p90(),
                    r.engineFusion().max(), pair(r.serverFusion())));
        }
        return b.toString();
    }

    private static String pair(Percentiles p) {
        return String.format(Locale.ROOT, "%.2f / %.2f", p.p50(), p.p99());
    }
}
