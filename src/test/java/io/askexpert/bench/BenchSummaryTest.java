package io.askexpert.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchSummaryTest {

    private static final BenchSummary.Machine MACHINE = new BenchSummary.Machine(2, true, "25");

    private static LoadReport run(String name, int streams, double ttftP50, double ttftP99, double gapP99, int lost) {
        return new LoadReport(name, streams, streams, streams - lost, 0, lost, 10L * streams, 10L * streams,
                Percentiles.EMPTY, new Percentiles(streams, ttftP50, ttftP99, ttftP99, ttftP99),
                new Percentiles(streams, 10, 10, gapP99, gapP99), Percentiles.EMPTY, 1, List.of());
    }

    private static BenchSummary.Point point(String scenario, int streams, double addedP50, double addedP99) {
        return new BenchSummary.Point(scenario, streams, 1, List.of(run("direct", streams, 100, 110, 12, 0)),
                List.of(run("service", streams, 100 + addedP50, 110 + addedP99, 13, 0)));
    }

    private static BenchSummary.ProbeStep probe(int streams, int serviceLost) {
        return new BenchSummary.ProbeStep(streams, run("probe direct", streams, 100, 120, 60, 0),
                run("probe service", streams, 105, 200, 80, serviceLost));
    }

    @Test
    void targets_met_and_missed_are_judged_on_the_rag_off_points() {
        BenchSummary s = BenchSummary.assemble("t", MACHINE, BenchPlan.quick(Path.of("out")), null,
                List.of(point(AddedLatency.RAG_OFF, 1, 3, 4), point(AddedLatency.RAG_OFF, 100, 8, 35),
                        point(AddedLatency.RAG_ON, 1, 40, 45)),
                List.of(probe(2000, 0), probe(3000, 4)), new BenchSummary.Rss(300, 500, 700), ServiceMeasures.NONE,
                List.of());

        assertThat(s.added()).extracting(AddedLatency::scenario, AddedLatency::streams).containsExactly(
                org.assertj.core.groups.Tuple.tuple(AddedLatency.RAG_OFF, 1),
                org.assertj.core.groups.Tuple.tuple(AddedLatency.RAG_OFF, 100),
                org.assertj.core.groups.Tuple.tuple(AddedLatency.RAG_ON, 1));
        assertThat(s.held()).isEqualTo(2000);
        assertThat(s.targets()).extracting(TargetResult::measured, TargetResult::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple(3.0, TargetResult.Status.MISSED),
                org.assertj.core.groups.Tuple.tuple(35.0, TargetResult.Status.MISSED),
                org.assertj.core.groups.Tuple.tuple(0.0, TargetResult.Status.MET),
                org.assertj.core.groups.Tuple.tuple(1.0, TargetResult.Status.MET),
                org.assertj.core.groups.Tuple.tuple(null, TargetResult.Status.NOT_MEASURED),
                org.assertj.core.groups.Tuple.tuple(40.0, TargetResult.Status.MISSED),
                org.assertj.core.groups.Tuple.tuple(null, TargetResult.Status.NOT_MEASURED),
                org.assertj.core.groups.Tuple.tuple(2000.0, TargetResult.Status.MISSED),
                org.assertj.core.groups.Tuple.tuple(null, TargetResult.Status.NOT_MEASURED),
                org.assertj.core.groups.Tuple.tuple(null, TargetResult.Status.NOT_MEASURED),
                org.assertj.core.groups.Tuple.tuple(null, TargetResult.Status.NOT_MEASURED));

        String md = BenchReport.markdown(s);
        assertThat(md).contains("| added time to first token p99, 100 streams, RAG off | ≤ 30 ms | 35 ms | **MISSED** |");
        assertThat(md).contains("| mode1 RAG on | 1 | 40.00 (40.00 – 40.00)");
        assertThat(md).contains("Held with no lost frame: 2,000 through the service; 3,000 by the mock alone.");
        assertThat(md).contains("Service RSS: 300 MiB after start-up, 500 MiB at the end, peak 700 MiB.");
        assertThat(md).doesNotContain("not measured:");
    }

    @Test
    void without_the_service_the_report_says_why_and_no_target_is_claimed() {
        BenchSummary.Point directOnly = new BenchSummary.Point(AddedLatency.RAG_OFF, 1, 20,
                List.of(run("direct", 1, 101, 102, 11, 0)), List.of());
        BenchSummary s = BenchSummary.assemble("t", MACHINE, BenchPlan.quick(Path.of("out")),
                "the service has no route /api/v1/expert/mode1/stream (HTTP 404)", List.of(directOnly),
                List.of(new BenchSummary.ProbeStep(2000, run("probe direct", 2000, 100, 120, 60, 0), null)),
                BenchSummary.Rss.UNKNOWN, ServiceMeasures.NONE, List.of());

        assertThat(s.added()).isEmpty();
        assertThat(s.held()).isNull();
        assertThat(s.directHeld()).isEqualTo(2000);
        assertThat(s.targets()).extracting(TargetResult::status).containsOnly(TargetResult.Status.NOT_MEASURED);
        String md = BenchReport.markdown(s);
        assertThat(md).contains("**The through-service half was not measured:** the service has no route");
        assertThat(md).contains("| not measured |");
        assertThat(md).contains("Held with no lost frame: not measured through the service; 2,000 by the mock alone.");
        assertThat(md).doesNotContain("Service RSS");
    }

    @Test
    void the_summary_serialises_to_json_with_targets_and_plan() {
        BenchSummary s = BenchSummary.assemble("t", MACHINE, BenchPlan.quick(Path.of("out")), null,
                List.of(point(AddedLatency.RAG_OFF, 1, 1, 4)), List.of(probe(2000, 0)), BenchSummary.Rss.UNKNOWN,
                ServiceMeasures.NONE, List.of());
        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        var tree = json.readTree(json.writeValueAsString(s));
        assertThat(tree.path("targets").get(0).path("status").asString()).isEqualTo("MET");
        assertThat(tree.path("added").get(0).path("ttftP50").path("median").asDouble()).isEqualTo(1.0);
        assertThat(tree.path("plan").path("concurrency").size()).isEqualTo(3);
        assertThat(tree.path("held").asInt()).isEqualTo(2000);
    }

    @Test
    void a_target_on_the_limit_is_met_and_a_hold_below_5000_is_missed() {
        assertThat(TargetResult.judge("x", "ms", 5, true, 5.0).status()).isEqualTo(TargetResult.Status.MET);
        assertThat(TargetResult.judge("x", "ms", 5, true, 5.01).status()).isEqualTo(TargetResult.Status.MISSED);
        assertThat(TargetResult.evaluate(List.of(), 4999, ServiceMeasures.NONE).get(7).status())
                .isEqualTo(TargetResult.Status.MISSED);
        assertThat(TargetResult.evaluate(List.of(), 5000, ServiceMeasures.NONE).get(7).status())
                .isEqualTo(TargetResult.Status.MET);
    }

    @Test
    void throughput_idle_streams_and_start_up_are_judged_and_reported() {
        ServiceMeasures measures = new ServiceMeasures(
                new ServiceMeasures.Throughput(100, 64, 2400, 450.0, 2000, 0, 0),
                new ServiceMeasures.IdleStreams(2000, 2000, 400_000, 480_000),
                new ServiceMeasures.Startup("./ask-expert", 40.0, List.of(2.5, 3.5, 2.9), List.of(330L, 360L, 340L), 15));
        BenchSummary s = BenchSummary.assemble("t", MACHINE, BenchPlan.quick(Path.of("out")), null,
                List.of(point(AddedLatency.RAG_OFF, 1, 1, 4)), List.of(probe(5000, 0)), BenchSummary.Rss.UNKNOWN,
                measures, List.of());

        assertThat(s.targets().get(4).status()).isEqualTo(TargetResult.Status.MISSED);   // 450 < 1,000 answers/s
        assertThat(s.targets().get(7).status()).isEqualTo(TargetResult.Status.MET);      // 5,000 streams held
        assertThat(s.targets().get(8).measured()).isEqualTo(40.0);                       // 80,000 KiB / 2,000
        assertThat(s.targets().get(8).status()).isEqualTo(TargetResult.Status.MET);
        assertThat(s.targets().get(9).measured()).isEqualTo(2.9);                        // median of later starts
        assertThat(s.targets().get(9).status()).isEqualTo(TargetResult.Status.MET);
        assertThat(s.targets().get(10).measured()).isEqualTo(340.0);
        String md = BenchReport.markdown(s);
        assertThat(md).contains("through the service: 450 answers/s").contains("40.0 KiB per stream")
                .contains("First start (creates the database").contains("Later starts: [2.5, 3.5, 2.9] s");
        assertThat(BenchReport.targetsTable(s)).contains("start to /health, embedded default, later starts")
                .contains("≤ 3 s").contains("2.90 s").doesNotContain("*");
    }

    @Test
    void rounds_give_every_run_at_least_the_minimum_sample() {
        BenchPlan plan = BenchPlan.standard(Path.of("out"));
        assertThat(plan.roundsFor(1)).isEqualTo(12);
        assertThat(plan.roundsFor(7)).isEqualTo(2);
        assertThat(plan.roundsFor(100)).isEqualTo(1);
    }
}
