package io.askexpert.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.bench.ConcurrencyProbe.Outcome;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ConcurrencyProbeTest {

    private static final List<Integer> LADDER = List.of(2000, 3000, 4000);

    @Test
    void climbs_the_ladder_while_every_step_holds() {
        assertThat(ConcurrencyProbe.next(LADDER, List.of())).hasValue(2000);
        assertThat(ConcurrencyProbe.next(LADDER, List.of(new Outcome(2000, true)))).hasValue(3000);
        assertThat(ConcurrencyProbe.next(LADDER, List.of(new Outcome(2000, true), new Outcome(3000, true))))
                .hasValue(4000);
    }

    @Test
    void stops_at_the_top_or_at_the_first_loss_after_a_hold() {
        List<Outcome> all = List.of(new Outcome(2000, true), new Outcome(3000, true), new Outcome(4000, true));
        assertThat(ConcurrencyProbe.next(LADDER, all)).isEmpty();
        List<Outcome> lost = List.of(new Outcome(2000, true), new Outcome(3000, false));
        assertThat(ConcurrencyProbe.next(LADDER, lost)).isEmpty();
        assertThat(ConcurrencyProbe.held(lost)).isEqualTo(2000);
    }

    @Test
    void halves_below_a_first_step_that_loses_frames_until_one_holds() {
        List<Outcome> done = List.of(new Outcome(2000, false));
        assertThat(ConcurrencyProbe.next(LADDER, done)).hasValue(1000);
        done = List.of(new Outcome(2000, false), new Outcome(1000, false));
        assertThat(ConcurrencyProbe.next(LADDER, done)).hasValue(500);
        done = List.of(new Outcome(2000, false), new Outcome(1000, false), new Outcome(500, true));
        assertThat(ConcurrencyProbe.next(LADDER, done)).isEmpty();
        assertThat(ConcurrencyProbe.held(done)).isEqualTo(500);
    }

    @Test
    void gives_up_below_the_floor_and_reports_nothing_held() {
        List<Outcome> done = List.of(new Outcome(150, false));
        assertThat(ConcurrencyProbe.next(List.of(150), done)).isEqualTo(OptionalInt.empty());
        assertThat(ConcurrencyProbe.held(done)).isZero();
    }

    @Test
    void a_step_with_errors_or_lost_frames_is_not_clean() {
        LoadReport lost = new LoadReport("p", 10, 10, 9, 0, 1, 0, 0, Percentiles.EMPTY, Percentiles.EMPTY,
                Percentiles.EMPTY, Percentiles.EMPTY, 1, List.of());
        LoadReport errors = new LoadReport("p", 10, 10, 10, 2, 0, 0, 0, Percentiles.EMPTY, Percentiles.EMPTY,
                Percentiles.EMPTY, Percentiles.EMPTY, 1, List.of());
        LoadReport clean = new LoadReport("p", 10, 10, 10, 0, 0, 0, 0, Percentiles.EMPTY, Percentiles.EMPTY,
                Percentiles.EMPTY, Percentiles.EMPTY, 1, List.of());
        assertThat(Outcome.of(lost).clean()).isFalse();
        assertThat(Outcome.of(errors).clean()).isFalse();
        assertThat(Outcome.of(clean)).isEqualTo(new Outcome(10, true));
    }
}
