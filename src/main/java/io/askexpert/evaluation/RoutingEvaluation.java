package io.askexpert.evaluation;

import io.askexpert.agents.Agent;
import io.askexpert.bench.Percentiles;
import io.askexpert.errors.AskExpertException;
import io.askexpert.fusion.FusionRequest;
import io.askexpert.fusion.FusionResult;
import io.askexpert.fusion.SelectedExpert;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Routing quality on a labelled set (JSONL {@code {"query", "expected": [slug…], "department"?,
 * "context"?}}), for fusion and, on the same questions, for the TF-IDF nearest-profile baseline
 * and for each fusion source's own ranking: top-1 (the first expert is expected), top-3 (an
 * expected expert is among the first three) and department@1 (the first expert belongs to the
 * question's department; without a {@code department} label, the first expected expert's).
 * Fusion's first three are its lead, then its fused ranking, seated on the panel or not; its
 * panels are reported apart (mean size, members of the question's department). Every question
 * is routed afresh, never from the cache.
 */
public final class RoutingEvaluation {

    /** One labelled question. */
    public record Case(int line, String query, List<String> expected, @Nullable String department,
                       Map<String, String> context) {
        public Case {
            expected = List.copyOf(expected);
            context = Map.copyOf(context);
        }
    }

    /** A question whose first expert was not expected: what was expected and what was ranked first. */
    public record Miss(int line, String query, List<String> expected, List<String> chosen) {
    }

    /** One engine's accuracy over the set. */
    public record Accuracy(double top1, double top3, double department1) {
    }

    /**
     * @param engines       fusion, tf-idf, vector, graph, relational: their accuracy
     * @param panelSize     mean experts seated per question
     * @param panelInDepartment share of seated non-lead members of the question's department (1 when none sat)
     * @param fusion        fusion alone (sources, RRF, panel), the question's embedding excluded
     */
    public record Report(String set, int experts, int cases, Map<String, Accuracy> engines, double panelSize,
                         double panelInDepartment, Percentiles fusion, Percentiles embedding, int degraded,
                         List<Miss> misses) {
    }

    public static final List<String> ENGINES = List.of("fusion", "tf-idf", "vector", "graph", "relational");
    private static final int K = 3;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Function<FusionRequest, FusionResult> router;

    /** @param router a fresh (uncached) fusion selection */
    public RoutingEvaluation(Function<FusionRequest, FusionResult> router) {
        this.router = router;
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
            String department = node.path("department").asString("");
            cases.add(new Case(line, query, expected, department.isBlank() ? null : department, context));
        }
        return cases;
    }

    /**
     * Routes every question as {@code tenantId}, whose visible catalogue is {@code agents};
     * {@code departments} maps each slug to its department.
     */
    public Report run(String set, List<Case> cases, List<Agent> agents, Map<String, String> departments,
                      String tenantId) {
        Map<String, String> slugById = new java.util.HashMap<>();
        agents.forEach(a -> slugById.put(a.id(), a.slug()));
        Function<List<String>, List<String>> slugs = ids -> ids.stream().map(id -> slugById.getOrDefault(id, id)).toList();
        TfIdfBaseline tfidf = new TfIdfBaseline(agents);
        Map<String, int[]> hits = new LinkedHashMap<>();
        ENGINES.forEach(e -> hits.put(e, new int[3]));
        long[] fusion = new long[cases.size()];
        long[] embedding = new long[cases.size()];
        int degraded = 0;
        double seated = 0;
        int members = 0;
        int membersInDepartment = 0;
        List<Miss> misses = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            String department = c.department() != null ? c.department() : departments.get(c.expected().getFirst());
            FusionResult result = router.apply(new FusionRequest(c.query(), tenantId, K, c.context(), null));
            fusion[i] = (long) (result.timings().fusionMs() * 1_000_000);
            embedding[i] = (long) (result.timings().embeddingMs() * 1_000_000);
            degraded += result.evidence().degraded() ? 1 : 0;
            List<String> panel = slugs.apply(result.selectedExperts().stream().map(SelectedExpert::id).toList());
            seated += panel.size();
            for (String member : panel.subList(Math.min(1, panel.size()), panel.size())) {
                members++;
                membersInDepartment += department != null && department.equals(departments.get(member)) ? 1 : 0;
            }
            List<String> ranked = slugs.apply(result.ranking());
            if (!score(hits.get("fusion"), ranked, c, department, departments)) {
                misses.add(new Miss(c.line(), c.query(), c.expected(), ranked.stream().limit(K).toList()));
            }
            score(hits.get("tf-idf"), tfidf.nearest(c.query(), K), c, department, departments);
            score(hits.get("vector"), slugs.apply(List.copyOf(result.evidence().vectorScores().keySet())), c,
                    department, departments);
            score(hits.get("graph"), slugs.apply(List.copyOf(result.evidence().graphPaths().keySet())), c,
                    department, departments);
            score(hits.get("relational"), slugs.apply(List.copyOf(result.evidence().relationalScores().keySet())), c,
                    department, departments);
        }
        int n = Math.max(1, cases.size());
        Map<String, Accuracy> engines = new LinkedHashMap<>();
        hits.forEach((e, h) -> engines.put(e, new Accuracy((double) h[0] / n, (double) h[1] / n, (double) h[2] / n)));
        return new Report(set, agents.size(), cases.size(), engines, seated / n,
                members == 0 ? 1 : (double) membersInDepartment / members, Percentiles.ofNanos(fusion),
                Percentiles.ofNanos(embedding), degraded, misses);
    }

    /** Counts top-1, top-3 and department@1 of one ranking; true when its first is expected. */
    private static boolean score(int[] counters, List<String> ranked, Case c, @Nullable String department,
                                 Map<String, String> departments) {
        boolean first = !ranked.isEmpty() && c.expected().contains(ranked.getFirst());
        counters[0] += first ? 1 : 0;
        counters[1] += ranked.stream().limit(K).anyMatch(c.expected()::contains) ? 1 : 0;
        counters[2] += !ranked.isEmpty() && department != null && department.equals(departments.get(ranked.getFirst()))
                ? 1 : 0;
        return first;
    }

    /** One Markdown table row per set and engine: top-1, top-3, department@1. */
    public static String table(List<Report> reports) {
        StringBuilder b = new StringBuilder();
        b.append("| set | experts | questions | engine | top-1 | top-3 | department@1 |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (Report r : reports) {
            r.engines().forEach((engine, a) -> b.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %.3f | %.3f | %.3f |%n",
                    r.set(), r.experts(), r.cases(), engine, a.top1(), a.top3(), a.department1())));
        }
        return b.toString();
    }

    /** The set's panels, latency and (when asked) misses, as the command prints them under the table. */
    public static String details(Report r, boolean misses) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s: panel size %.2f, panel members of the question's department %.1f%%, "
                        + "fusion p50 %.2f / p99 %.2f ms, embedding p50 %.2f / p99 %.2f ms%s%n", r.set(), r.panelSize(),
                100 * r.panelInDepartment(), r.fusion().p50(), r.fusion().p99(), r.embedding().p50(), r.embedding().p99(),
                r.degraded() > 0 ? ", degraded " + r.degraded() : ""));
        if (misses) {
            r.misses().forEach(m -> b.append(String.format(Locale.ROOT, "  line %d: expected %s, ranked %s: %s%n",
                    m.line(), m.expected(), m.chosen(), m.query())));
        }
        return b.toString();
    }
}
