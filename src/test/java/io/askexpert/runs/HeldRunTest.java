package io.askexpert.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.config.Mode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run whose row is written behind it: nothing reaches the log before the row, and nothing at all if it never is. */
class HeldRunTest {

    private final InProcessEventLog log = new InProcessEventLog(Clock.systemUTC(), Duration.ofHours(1));
    private final List<RunHandle.Ending> endings = new ArrayList<>();

    private RunHandle held(String runId) {
        RunHandle handle = new RunHandle(runId, new RunStart("t", "u", Mode.MODE1, "s", null, false, Duration.ofSeconds(60)),
                Instant.now(), log, endings::add, Duration.ofMinutes(15));
        handle.hold();
        return handle;
    }

    private List<String> logged(String runId) {
        return log.readAfter(runId, 0, 100, Duration.ZERO).stream().map(s -> s.id() + ":" + s.event()).toList();
    }

    @Test
    void held_events_reach_the_log_in_order_only_once_released_and_later_ones_follow() {
        RunHandle run = held("run_a");
        run.emit(new RunEvent.Run("run_a", "s", null, "mode1"));
        run.emit(new RunEvent.Token("Hello", 0));
        assertThat(logged("run_a")).isEmpty();
        run.heartbeatIfSilent(0, Instant.now());
        assertThat(run.progress(new KnownCost.Codec())).isNull();
        assertThat(logged("run_a")).isEmpty();

        run.release();
        run.emit(new RunEvent.Token(" world", 1));
        assertThat(logged("run_a")).containsExactly("1:run", "2:token", "3:token");
        assertThat(run.finish(new RunEvent.Cancelled("cancelled", java.math.BigDecimal.ZERO))).isTrue();
        assertThat(endings).singleElement().satisfies(e -> assertThat(e.terminalId()).isEqualTo(4));
        assertThat(logged("run_a")).containsExactly("1:run", "2:token", "3:token", "4:cancelled");
    }

    @Test
    void an_abandoned_run_leaves_nothing_cancels_its_work_and_records_no_ending() {
        RunHandle run = held("run_b");
        boolean[] cancelled = {false};
        run.onCancel(() -> cancelled[0] = true);
        run.emit(new RunEvent.Run("run_b", "s", null, "mode1"));
        run.abandon();
        run.emit(new RunEvent.Token("late", 0));
        run.release();
        assertThat(cancelled[0]).isTrue();
        assertThat(run.finish(new RunEvent.Cancelled("not_recorded", java.math.BigDecimal.ZERO))).isFalse();
        assertThat(endings).isEmpty();
        assertThat(logged("run_b")).isEmpty();
    }

    @Test
    void past_its_limit_of_live_runs_the_registry_refuses_at_once_with_503_and_frees_an_abandoned_runs_session() {
        var settings = new io.askexpert.config.AskExpertSettings.Runs(Duration.ofSeconds(15), Duration.ofMinutes(15),
                Duration.ofHours(1), 1, 256);
        // No row is written here (store and instance unused by startBehind/abandon).
        try (RunRegistry registry = new RunRegistry(log, new InProcessRunLock(Clock.systemUTC()), new InProcessCancelSignal(),
                null, null, settings, Clock.systemUTC(), () -> { })) {
            RunStart start = new RunStart("t", "u", Mode.MODE1, "s1", null, false, Duration.ofSeconds(60));
            RunHandle first = registry.startBehind(start);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> registry.startBehind(
                            new RunStart("t", "u", Mode.MODE1, "s2", null, false, Duration.ofSeconds(60))))
                    .isInstanceOfSatisfying(io.askexpert.errors.AskExpertException.class, e -> assertThat(e.code())
                            .isEqualTo(io.askexpert.errors.ErrorCode.SERVICE_UNAVAILABLE));
            registry.abandon(first);
            assertThat(registry.activeRuns()).isZero();
            // The abandoned run let go of its session: the same session starts again at once.
            registry.abandon(registry.startBehind(start));
        }
    }
}
