package io.askexpert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.fusion.FusionEvidence;
import io.askexpert.fusion.FusionRequest;
import io.askexpert.fusion.FusionResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RoutingRecordTest {

    @TempDir
    Path dir;

    private final List<FusionRequest> asked = new ArrayList<>();

    /** The graph found three experts; asked alone, it fused the first two (and a fallback filled the ranking). */
    private FusionResult route(FusionRequest request) {
        asked.add(request);
        boolean graphAlone = request.weights() != null;
        Map<String, Double> vector = new LinkedHashMap<>();
        vector.put("id-pv-signals", 0.81);
        vector.put("id-pv-cases", 0.79);
        Map<String, List<String>> graph = new LinkedHashMap<>();
        graph.put("id-pv-cases", List.of("signal", "id-pv-cases"));
        graph.put("id-pv-signals", List.of("signal", "id-pv-signals"));
        graph.put("id-fda-regulatory", List.of("fda", "id-fda-regulatory"));
        var evidence = new FusionEvidence("weighted_rrf", new FusionEvidence.Weights(0.4, 0.35, 0.25), List.of(),
                Map.of(), vector, graph, Map.of("id-pv-signals", 0.4), 1, 1, false, null);
        List<String> ranking = graphAlone ? List.of("id-pv-cases", "id-pv-signals", "id-chief")
                : List.of("id-pv-signals", "id-pv-cases", "id-fda-regulatory");
        return new FusionResult(List.of(), evidence, false, false, List.of(), new FusionResult.Timings(1, 1, Map.of()),
                ranking);
    }

    @Test
    void writes_each_experts_texts_and_vectors_and_each_questions_rankings() throws Exception {
        var cases = List.of(new RoutingEvaluation.Case(3, "Who watches signals?", List.of("pv-signals"), "safety",
                Map.of()));
        var agents = List.of(RoutingEvaluationTest.agent("pv-signals", "Pharmacovigilance signal detection"),
                RoutingEvaluationTest.agent("pv-cases", "Individual case safety reports"));
        List<List<String>> embedded = new ArrayList<>();
        var record = new RoutingRecord(dir, texts -> {
            embedded.add(texts);
            return texts.stream().map(t -> new float[] {t.length(), 1f}).toList();
        }, question -> "'signal' | 'watch'");

        record.write("tiny", cases, agents, Map.of("id-pv-signals", "'signal':1A"), Map.of("pv-signals", "safety"),
                "eval", this::route);

        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> experts = Files.readAllLines(dir.resolve("tiny/experts.jsonl")).stream().map(json::readTree).toList();
        assertThat(experts).extracting(e -> e.path("slug").asString()).containsExactly("pv-signals", "pv-cases");
        assertThat(experts.getFirst().path("department").asString()).isEqualTo("safety");
        assertThat(experts.get(1).path("department").asString()).isEmpty();
        assertThat(experts.getFirst().path("texts")).hasSize(2);
        assertThat(experts.getFirst().path("vectors")).hasSize(2);
        assertThat(experts.getFirst().path("vectors").get(0).get(0).asDouble())
                .isEqualTo(experts.getFirst().path("texts").get(0).asString().length());
        assertThat(experts.getFirst().path("document").asString()).isEqualTo("'signal':1A");
        assertThat(experts.get(1).path("document").asString()).isEmpty();

        JsonNode q = json.readTree(Files.readAllLines(dir.resolve("tiny/questions.jsonl")).getFirst());
        assertThat(q.path("line").asInt()).isEqualTo(3);
        // The plain question and the one behind the retrieval instruction.
        assertThat(embedded.getLast()).hasSize(2).first().isEqualTo("Who watches signals?");
        assertThat(embedded.getLast().get(1)).startsWith("Represent this sentence").endsWith("Who watches signals?");
        assertThat(q.path("plain").get(0).asDouble()).isEqualTo("Who watches signals?".length());
        assertThat(q.path("fusion").valueStream().map(JsonNode::asString))
                .containsExactly("id-pv-signals", "id-pv-cases", "id-fda-regulatory");
        assertThat(q.path("vector").path("id-pv-cases").asDouble()).isEqualTo(0.79);
        assertThat(q.path("graph").valueStream().map(JsonNode::asString))
                .containsExactly("id-pv-cases", "id-pv-signals", "id-fda-regulatory");
        // Fused by the graph alone: its hits in its own order, never the fallback that filled the ranking.
        assertThat(q.path("graphFused").valueStream().map(JsonNode::asString))
                .containsExactly("id-pv-cases", "id-pv-signals");
        assertThat(q.path("lexemes").asString()).isEqualTo("'signal' | 'watch'");
        assertThat(asked).hasSize(2);
        assertThat(asked.get(1).weights()).isEqualTo(new FusionEvidence.Weights(0, 0.35, 0));
        assertThat(asked.get(0).weights()).isNull();
    }
}
