package io.askexpert.fusion;

import io.askexpert.bench.Percentiles;
import io.askexpert.errors.AskExpertException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Measures routing quality on a labelled set (JSONL {@code {"query", "expected": [slug…],
 * "context"?}}): top-1 accuracy (the lead is an expected expert), top-k accuracy (an expected
 * expert is among the first k), the same per source as a diagnostic, and latency. Every question
 * is routed afresh, never from the cache.
 */
public final class RoutingEvaluation {

    /** One labelled question. */
    public record Case(int line, String query, List<String> expected, Map<String, String> context) {
        public Case {
            expected = List.copyOf(expected);
            context = Map.copyOf(context);
        }
    }

    /** A question whose lead was not expected: what was expected and what was chosen. */
    public record Miss(int line, String query, List<String> expected, List<String> chosen) {
    }

    /** Accuracy of one retriever's own ranking. */
    public record SourceAccuracy(double top1, double topK) {
    }

    /**
     * @param total     wall time of a selection, embedding included
     * @param fusion    fusion alone (the three sources, RRF, synergy), excluding the embedding
     * @param embedding the question's embedding alone
     */
    public record Report(int cases, int k, double top1, double topK, Percentiles total, Percentiles fusion,
                         Percentiles embedding, Map<String, SourceAccuracy> perSource, int degraded,
                         List<Miss> misses) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final FusionEngine engine;
    private final CatalogueSnapshots snapshots;

    RoutingEvaluation(FusionEngine engine, CatalogueSnapshots snapshots) {
        this.engine = engine;
        this.snapshots = snapshots;
    }

    /** Waits until the catalogue snapshot has been built; returns how many experts it holds. */
    public int awaitCatalogue(java.time.Duration timeout) throws java.util.concurrent.TimeoutException {
        snapshots.awaitReady(timeout);
        return snapshots.get().size();
    }

    /** Reads a JSONL file; a bad line is a validation error naming the line. Blank lines are skipped. */
    public static List<Case> read(Path file) throws IOException {
        List<Case> cases = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty()) {
                continue;
            }
            int line = i + 1;
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (RuntimeException e) {
                throw AskExpertException.invalid("line " + line, "line " + line + " is not JSON");
            }
            String query = node.path("query").asString("");
            if (query.isBlank()) {
                throw AskExpertException.invalid("line " + line, "line " + line + ": query is required");
            }
            List<String> expected = new ArrayList<>();
            node.path("expected").forEach(n -> expected.add(n.asString()));
            if (expected.isEmpty()) {
                throw AskExpertException.invalid("line " + line, "line " + line + ": expected must list at least one slug");
            }
            Map<String, String> context = new LinkedHashMap<>();
            node.path("context").properties().forEach(en -> context.put(en.getKey(), en.getValue().asString()));
            cases.add(new Case(line, query, expected, context));
        }
        return cases;
    }

    public Report run(List<Case> cases, int k, String tenantId, int maxExperts) {
        if (k < 1) {
            throw AskExpertException.invalid("top-k", "top-k must be at least 1");
        }
        int top1 = 0;
        int topK = 0;
        int degraded = 0;
        Map<String, int[]> perSource = new LinkedHashMap<>();
        List.of("vector", "graph", "relational").forEach(s -> perSource.put(s, new int[2]));
        long[] total = new long[cases.size()];
        long[] fusion = new long[cases.size()];
        long[] embedding = new long[cases.size()];
        List<Miss> misses = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            long started = System.nanoTime();
            FusionResult result = engine.selectUncached(
                    new FusionRequest(c.query(), tenantId, Math.min(6, Math.max(k, maxExperts)), c.context(), null));
            total[i] = System.nanoTime() - started;
            fusion[i] = (long) (result.timings().fusionMs() * 1_000_000);
            embedding[i] = (long) (result.timings().embeddingMs() * 1_000_000);
            degraded += result.evidence().degraded() ? 1 : 0;
            List<String> chosen = slugs(tenantId, result.selectedExperts().stream().map(SelectedExpert::id).toList());
            if (!chosen.isEmpty() && c.expected().contains(chosen.getFirst())) {
                top1++;
            } else {
                misses.add(new Miss(c.line(), c.query(), c.expected(), chosen));
            }
            if (chosen.stream().limit(k).anyMatch(c.expected()::contains)) {
                topK++;
            }
            score(perSource.get("vector"), slugs(tenantId, List.copyOf(result.evidence().vectorScores().keySet())), c, k);
            score(perSource.get("graph"), slugs(tenantId, List.copyOf(result.evidence().graphPaths().keySet())), c, k);
            score(perSource.get("relational"),
                    slugs(tenantId, List.copyOf(result.evidence().relationalScores().keySet())), c, k);
        }
        int n = Math.max(1, cases.size());
        Map<String, SourceAccuracy> sources = new LinkedHashMap<>();
        perSource.forEach((s, hits) -> sources.put(s, new SourceAccuracy(ratio(hits[0], n), ratio(hits[1], n))));
        return new Report(cases.size(), k, ratio(top1, n), ratio(topK, n), Percentiles.ofNanos(total),
                Percentiles.ofNanos(fusion), Percentiles.ofNanos(embedding), sources, degraded, misses);
    }

    /** The report as the command prints it. */
    public static String format(Report r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "questions: %d%n", r.cases()));
        b.append(String.format(Locale.ROOT, "top-1 accuracy: %.1f%%%n", 100 * r.top1()));
        b.append(String.format(Locale.ROOT, "top-%d accuracy: %.1f%%%n", r.k(), 100 * r.topK()));
        r.perSource().forEach((s, a) -> b.append(String.format(Locale.ROOT, "  %-10s top-1 %.1f%%  top-%d %.1f%%%n",
                s, 100 * a.top1(), r.k(), 100 * a.topK())));
        b.append(line("latency, total (ms)", r.total()));
        b.append(line("latency, fusion without embedding (ms)", r.fusion()));
        b.append(line("latency, question embedding (ms)", r.embedding()));
        if (r.degraded() > 0) {
            b.append(String.format(Locale.ROOT, "degraded selections: %d%n", r.degraded()));
        }
        if (!r.misses().isEmpty()) {
            b.append("top-1 misses:\n");
            r.misses().forEach(m -> b.append(String.format(Locale.ROOT, "  line %d: expected %s, chose %s: %s%n",
                    m.line(), m.expected(), m.chosen(), m.query())));
        }
        return b.toString();
    }

    private static String line(String label, Percentiles p) {
        return String.format(Locale.ROOT, "%s: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n", label, p.p50(), p.p90(),
                p.p99(), p.max());
    }

    private List<String> slugs(String tenantId, List<String> ids) {
        CatalogueSnapshot current = snapshots.get();
        return ids.stream().map(id -> current.find(tenantId, id).map(ExpertEntry::slug).orElse(id)).toList();
    }

    private static void score(int[] counters, List<String> ranked, Case c, int k) {
        if (!ranked.isEmpty() && c.expected().contains(ranked.getFirst())) {
            counters[0]++;
        }
        if (ranked.stream().limit(k).anyMatch(c.expected()::contains)) {
            counters[1]++;
        }
    }

    private static double ratio(int hits, int n) {
        return (double) hits / n;
    }
}
