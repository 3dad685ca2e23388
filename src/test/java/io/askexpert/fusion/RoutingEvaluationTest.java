package io.askexpert.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.errors.AskExpertException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutingEvaluationTest {

    @TempDir
    Path dir;

    private final CatalogueSnapshots snapshots = new CatalogueSnapshots(() -> List.of(
            FusionPipelineTest.entry("fda-regulatory", "FDA regulatory strategist", List.of("IND submissions"),
                    List.of("US"), null),
            FusionPipelineTest.entry("pv-signals", "Pharmacovigilance signal detection", List.of("signal detection"),
                    List.of("EU"), null)), new HashingVectors());
    private final FusionEngine engine;
    private final RoutingEvaluation evaluation;

    RoutingEvaluationTest() {
        snapshots.rebuildNow();
        var settings = new AskExpertSettings.Fusion(Duration.ofSeconds(5), true, 60, 0.40, 0.35, 0.25, "",
                Duration.ofSeconds(2), 15, 0.5, 1.25, 100, Duration.ofMinutes(5));
        var vectors = new HashingVectors();
        engine = new FusionEngine(List.of(new VectorRetriever(snapshots), new GraphRetriever(snapshots)),
                new SnapshotDirectory(snapshots), settings, false, Executors.newVirtualThreadPerTaskExecutor(),
                new SimpleMeterRegistry(), vectors::embed, FusionCache.disabled(), snapshots::version);
        evaluation = new RoutingEvaluation(engine, snapshots);
    }

    @AfterEach
    void close() {
        engine.close();
        snapshots.close();
    }

    private Path file(String... lines) throws Exception {
        return Files.write(dir.resolve("eval.jsonl"), List.of(lines));
    }

    @Test
    void accuracy_counts_the_lead_for_top_1_and_the_first_k_for_top_k() throws Exception {
        var cases = RoutingEvaluation.read(file(
                "{\"query\":\"How do we prepare IND submissions for the FDA?\",\"expected\":[\"fda-regulatory\"]}",
                "",
                "{\"query\":\"Signal detection for an EU product\",\"expected\":[\"pv-signals\"]}",
                "{\"query\":\"Signal detection for an EU product\",\"expected\":[\"fda-regulatory\"]}"));
        var report = evaluation.run(cases, 2, "t1", 2);
        assertThat(report.cases()).isEqualTo(3);
        assertThat(report.top1()).isCloseTo(2 / 3.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(report.misses()).singleElement().satisfies(m -> {
            assertThat(m.line()).isEqualTo(4);
            assertThat(m.chosen().getFirst()).isEqualTo("pv-signals");
        });
        assertThat(report.perSource()).containsKeys("vector", "graph", "relational");
        assertThat(report.perSource().get("relational").top1()).isZero();
        assertThat(report.total().count()).isEqualTo(3);
        assertThat(RoutingEvaluation.format(report)).contains("top-1 accuracy: 66.7%").contains("top-2 accuracy");
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
