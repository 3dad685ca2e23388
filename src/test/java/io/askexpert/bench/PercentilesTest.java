package io.askexpert.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearest_rank_over_one_to_hundred_milliseconds() {
        long[] nanos = LongStream.rangeClosed(1, 100).map(ms -> ms * 1_000_000).toArray();
        Percentiles p = Percentiles.ofNanos(nanos);
        assertThat(p.count()).isEqualTo(100);
        assertThat(p.p50()).isEqualTo(50.0);
        assertThat(p.p90()).isEqualTo(90.0);
        assertThat(p.p99()).isEqualTo(99.0);
        assertThat(p.max()).isEqualTo(100.0);
    }

    @Test
    void a_single_sample_is_every_percentile() {
        Percentiles p = Percentiles.ofNanos(new long[] {2_500_000});
        assertThat(p.p50()).isEqualTo(2.5);
        assertThat(p.p99()).isEqualTo(2.5);
    }

    @Test
    void no_samples_give_the_empty_summary() {
        assertThat(Percentiles.ofNanos(new long[0])).isEqualTo(Percentiles.EMPTY);
    }
}
