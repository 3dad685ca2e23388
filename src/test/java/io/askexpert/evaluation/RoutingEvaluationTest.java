package io.askexpert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.askexpert.agents.Agent;
import io.askexpert.agents.AgentLevel;
import io.askexpert.agents.AgentStatus;
import io.askexpert.errors.AskExpertException;
import io.askexpert.fusion.FusionEvidence;
import io.askexpert.fusion.FusionRequest;
import io.askexpert.fusion.FusionResult;
import io.askexpert.fusion.PanelRole;
import io.askexpert.fusion.SelectedExpert;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingEvaluationTest {

    @TempDir
    Path dir;

    private static final List<Agent> AGENTS = List.of(
            agent("fda-regulatory", "FDA regulatory strategist for IND submissions"),
            agent("pv-signals", "Pharmacovigilance signal detection"),
            agent("pv-cases", "Individual case safety reports"));
    private static final Map<String, String> DEPARTMENTS = Map.of("fda-regulatory", "regulatory",
            "pv-signals", "safety", "pv-cases", "safety");

    /** Fusion that always ranks pv-signals, then pv-cases, then fda-regulatory; the vector source the reverse. */
    private final RoutingEvaluation evaluation = new RoutingEvaluation(request -> result(
            List.of("id-pv-signals", "id-pv-cases", "id-fda-regulatory")));

    static Agent agent(String slug, String specialty) {
        return new Agent("id-" + slug, null, slug, specialty, specialty, AgentLevel.of(3), specialty, specialty,
                List.of(), List.of(), List.of(), List.of(), List.of(), "", List.of(), List.of(), null, null, null,
                AgentStatus.ACTIVE, List.of(), 1, Instant.EPOCH, Instant.EPOCH);
    }

    private static FusionResult result(List<String> ranking) {
        Map<String, Double> vector = new LinkedHashMap<>();
        ranking.reversed().forEach(id -> vector.put(id, 0.5));
        var evidence = new FusionEvidence("weighted_rrf", new FusionEvidence.Weights(1, 1, 1), List.of("vector"),
                Map.of(), vector, Map.of(), Map.of(), 1, 1, false, null);
        return new FusionResult(List.of(new SelectedExpert(ranking.getFirst(), "lead", 60, PanelRole.LEAD, 3, "", ""),
                new SelectedExpert(ranking.get(2), "panel", 30, PanelRole.PANEL, 3, "", "")), evidence, false, false, List.of(),
                new FusionResult.Timings(1, 2, Map.of()), ranking);
    }

    private Path file(String... lines) throws Exception {
        return Files.write(dir.resolve("eval.jsonl"), List.of(lines));
    }

    @Test
    void top_1_top_3_and_department_are_counted_for_fusion_each_source_and_tf_idf() throws Exception {
        var cases = RoutingEvaluation.read(file(
                "{\"query\":\"Which signals need a closer look?\",\"expected\":[\"pv-signals\"]}",
                "",
                "{\"query\":\"Who books the individual case reports?\",\"expected\":[\"pv-cases\"]}",
                "{\"query\":\"An IND question\",\"expected\":[\"fda-regulatory\"],\"department\":\"safety\"}"));
        var report = evaluation.run("test", cases, AGENTS, DEPARTMENTS, "t1");
        assertThat(report.cases()).isEqualTo(3);
        var fusion = report.engines().get("fusion");
        assertThat(fusion.top1()).isCloseTo(1 / 3.0, offset(1e-9));
        assertThat(fusion.top3()).isEqualTo(1.0);
        assertThat(fusion.department1()).isEqualTo(1.0);
        assertThat(report.engines().get("vector").top1()).isCloseTo(1 / 3.0, offset(1e-9));
        assertThat(report.engines().get("graph").top3()).isZero();
        assertThat(report.engines().get("tf-idf").top1()).isEqualTo(1.0);
        assertThat(report.misses()).extracting(RoutingEvaluation.Miss::line).containsExactly(3, 4);
        assertThat(report.panelSize()).isEqualTo(2.0);
        assertThat(report.panelInDepartment()).isZero();
        assertThat(RoutingEvaluation.table(List.of(report))).contains("| test | 3 | 3 | fusion | 0.333 | 1.000 | 1.000 |");
    }

    @Test
    void the_tf_idf_baseline_splits_codes_into_words() {
        var baseline = new TfIdfBaseline(List.of(agent("a", "complaint_trending"), agent("b", "supplier audits")));
        assertThat(baseline.nearest("trending of complaints", 3)).containsExactly("a");
    }

    @Test
    void a_bad_line_is_reported_with_its_number() throws Exception {
        Path bad = file("{\"query\":\"fine question here\",\"expected\":[\"a\"]}", "{\"query\":\"no labels\"}");
        assertThatThrownBy(() -> RoutingEvaluation.read(bad)).isInstanceOf(AskExpertException.class)
                .hasMessageContaining("line 2");
        Path notJson = file("not json");
        assertThatThrownBy(() -> RoutingEvaluation.read(notJson)).hasMessageContaining("line 1");
    }
}
