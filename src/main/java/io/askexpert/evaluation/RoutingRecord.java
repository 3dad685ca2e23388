package io.askexpert.evaluation;

import io.askexpert.agents.Agent;
import io.askexpert.fusion.FusionCatalogue;
import io.askexpert.fusion.FusionEngine;
import io.askexpert.fusion.FusionEvidence;
import io.askexpert.fusion.FusionRequest;
import io.askexpert.fusion.FusionResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes what a routing run saw, once per set, so that changes to the vector source or to the
 * fusion can be tried on the recorded numbers in seconds instead of a run of {@code eval routing}
 * each: every expert's routing texts, their embeddings and its full-text document, and for every
 * question its two embeddings (plain, behind the retrieval instruction), its PostgreSQL lexemes,
 * each source's whole ranking with its scores as the selection reported it, the graph's hits that
 * were fused (asked again with the graph alone: the evidence carries its paths, not its scores)
 * and fusion's ranking.
 *
 * <p>Files, under {@code folder/SET/}: {@code experts.jsonl} ({@code id, slug, department, texts,
 * vectors, document}) and {@code questions.jsonl} ({@code line, query, expected, department,
 * plain, search, fusion, vector, graph, graphFused, relational, lexemes}).
 */
public final class RoutingRecord {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** PostgreSQL's any-word query of a question, in its text form ({@code 'ind' | 'fda'}). */
    @FunctionalInterface
    public interface Lexemes {
        String of(String question) throws SQLException;
    }

    private final Path folder;
    private final Function<List<String>, List<float[]>> embedder;
    private final Lexemes lexemes;

    /** @param embedder the routing model's unit-length embeddings of texts, in order */
    public RoutingRecord(Path folder, Function<List<String>, List<float[]>> embedder, Lexemes lexemes) {
        this.folder = folder;
        this.embedder = embedder;
        this.lexemes = lexemes;
    }

    /** @param documents each agent's full-text document ({@code search_vector} text) by id */
    public void write(String set, List<RoutingEvaluation.Case> cases, List<Agent> agents, Map<String, String> documents,
                      Map<String, String> departments, String tenant, Function<FusionRequest, FusionResult> router)
            throws IOException, SQLException {
        Path dir = Files.createDirectories(folder.resolve(set));
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("experts.jsonl"), StandardCharsets.UTF_8)) {
            for (Agent a : agents) {
                List<String> texts = FusionCatalogue.vectorTexts(a);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", a.id());
                row.put("slug", a.slug());
                row.put("department", departments.getOrDefault(a.slug(), ""));
                row.put("texts", texts);
                row.put("vectors", embedder.apply(texts));
                row.put("document", documents.getOrDefault(a.id(), ""));
                out.write(JSON.writeValueAsString(row));
                out.newLine();
            }
        }
        FusionEvidence.Weights graphAlone = new FusionEvidence.Weights(0, 0.35, 0);
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("questions.jsonl"), StandardCharsets.UTF_8)) {
            for (RoutingEvaluation.Case c : cases) {
                FusionResult result = router.apply(new FusionRequest(c.query(), tenant, 3, c.context(), null));
                FusionResult graph = router.apply(new FusionRequest(c.query(), tenant, 3, c.context(), graphAlone));
                List<String> graphRanked = List.copyOf(result.evidence().graphPaths().keySet());
                List<String> graphFused = new ArrayList<>(graphRanked);
                graphFused.retainAll(graph.ranking());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("line", c.line());
                row.put("query", c.query());
                row.put("expected", c.expected());
                row.put("department", c.department() != null ? c.department()
                        : departments.getOrDefault(c.expected().getFirst(), ""));
                List<float[]> embedded = embedder.apply(List.of(c.query(), FusionEngine.QUERY_INSTRUCTION + c.query()));
                row.put("plain", embedded.get(0));
                row.put("search", embedded.get(1));
                row.put("fusion", result.ranking());
                row.put("vector", result.evidence().vectorScores());
                row.put("graph", graphRanked);
                row.put("graphFused", graphFused);
                row.put("relational", result.evidence().relationalScores());
                row.put("lexemes", lexemes.of(c.query()));
                out.write(JSON.writeValueAsString(row));
                out.newLine();
            }
        }
    }
}
