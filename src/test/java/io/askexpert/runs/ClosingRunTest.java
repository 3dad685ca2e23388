package io.askexpert.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.config.Mode;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run whose row a caller's transaction closes: its terminal event keeps the id the row got, and nothing slips in before it. */
class ClosingRunTest {

    private final InProcessEventLog log = new InProcessEventLog(Clock.systemUTC(), Duration.ofHours(1));
    private final List<RunHandle.Ending> endings = new ArrayList<>();

    private RunHandle run(String runId) {
        return new RunHandle(runId, new RunStart("t", "u", Mode.MODE1, "s", null, false, Duration.ofSeconds(60)),
                Instant.now(), log, endings::add, Duration.ofMinutes(15));
    }

    private static RunEvent.Done done(String runId) {
        return new RunEvent.Done(true, "s", "msg_1", runId, 5, 10, BigDecimal.ONE, null, null);
    }

    @Test
    void while_the_row_is_being_closed_no_heartbeat_takes_the_terminal_events_id() {
        RunHandle run = run("run_c");
        run.emit(new RunEvent.Run("run_c", "s", null, "mode1"));
        RunEvent.Done done = done("run_c");
        assertThat(run.closeWith(done)).isEqualTo(2);
        run.heartbeatIfSilent(0, Instant.now());
        assertThat(run.progress(new KnownCost.Codec())).isNull();
        // A retried transaction asks again for the same event: the same id.
        assertThat(run.closeWith(done)).isEqualTo(2);

        assertThat(run.finish(done)).isTrue();
        assertThat(endings).singleElement().satisfies(e -> {
            assertThat(e.recorded()).isTrue();
            assertThat(e.terminalId()).isEqualTo(2);
        });
        assertThat(log.readAfter("run_c", 0, 10, Duration.ZERO)).extracting(s -> s.id() + ":" + s.event())
                .containsExactly("1:run", "2:done");
    }

    @Test
    void a_close_that_rolled_back_leaves_the_run_open_and_its_end_written_as_usual() {
        RunHandle run = run("run_d");
        run.emit(new RunEvent.Run("run_d", "s", null, "mode1"));
        run.closeWith(done("run_d"));
        run.keepOpen();
        run.heartbeatIfSilent(0, Instant.now());
        RunEvent.Failed failed = new RunEvent.Failed("SERVICE_UNAVAILABLE", "database down", true, 5_000L);

        assertThat(run.finish(failed)).isTrue();
        assertThat(endings).singleElement().satisfies(e -> {
            assertThat(e.recorded()).isFalse();
            assertThat(e.terminalId()).isEqualTo(3);
        });
        assertThat(log.readAfter("run_d", 0, 10, Duration.ZERO)).extracting(s -> s.id() + ":" + s.event())
                .containsExactly("1:run", "2:heartbeat", "3:error");
    }
}
