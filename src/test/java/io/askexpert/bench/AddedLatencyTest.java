package io.askexpert.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddedLatencyTest {

    private static LoadReport report(double ttftP50, double ttftP99, double gapP99, int lost) {
        Percentiles ttft = new Percentiles(10, ttftP50, ttftP99, ttftP99, ttftP99);
        Percentiles gap = new Percentiles(10, 1, 1, gapP99, gapP99);
        return new LoadReport("r", 10, 10, 10, 0, lost, 100, 100, Percentiles.EMPTY, ttft, gap, Percentiles.EMPTY, 1, List.of());
    }

    @Test
    void added_latency_is_service_minus_direct_with_median_and_range_over_repeats() {
        var direct = List.of(report(100, 110, 20, 0), report(101, 112, 20, 0), report(99, 111, 21, 0));
        var service = List.of(report(103, 120, 22, 0), report(102, 130, 21, 1), report(105, 118, 23, 0));
        AddedLatency a = AddedLatency.of("mode1 RAG off", 10, direct, service);
        assertThat(a.ttftP50()).isEqualTo(new AddedLatency.Spread(3, 1, 6));
        assertThat(a.ttftP99()).isEqualTo(new AddedLatency.Spread(10, 7, 18));
        assertThat(a.gapP99()).isEqualTo(new AddedLatency.Spread(2, 1, 2));
        assertThat(a.lostFrameStreams()).isEqualTo(1);
    }

    @Test
    void even_number_of_repeats_takes_the_mean_of_the_middle_two() {
        assertThat(AddedLatency.Spread.of(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.5);
    }

    @Test
    void refuses_unpaired_runs() {
        assertThatThrownBy(() -> AddedLatency.of("x", 1, List.of(report(1, 1, 1, 0)), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
