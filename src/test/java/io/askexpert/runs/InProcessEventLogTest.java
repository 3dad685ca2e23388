package io.askexpert.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class InProcessEventLogTest extends EventLogContract {

    @Override
    EventLog log() {
        return new InProcessEventLog(Clock.systemUTC(), Duration.ofHours(1));
    }

    @Test
    void sweep_forgets_a_run_once_its_retention_has_passed() {
        MutableClock clock = new MutableClock();
        InProcessEventLog log = new InProcessEventLog(clock, Duration.ofHours(1));
        log.append("r", new RunEvent.Token("a", 0));
        log.retain("r", Duration.ofMinutes(10));
        clock.now = clock.now.plus(Duration.ofMinutes(9));
        log.sweep();
        assertThat(log.readAfter("r", 0, 10, Duration.ZERO)).hasSize(1);
        clock.now = clock.now.plus(Duration.ofMinutes(2));
        log.sweep();
        assertThat(log.readAfter("r", 0, 10, Duration.ZERO)).isEmpty();
    }

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
