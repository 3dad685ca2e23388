package io.askexpert.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InProcessMissionQueueTest extends MissionQueueContract {

    private InProcessMissionQueue queue;

    @BeforeEach
    void fresh() {
        queue = new InProcessMissionQueue();
    }

    @Override
    MissionQueue queue() {
        return queue;
    }

    @Override
    MissionQueue queue(QueuePriorities priorities) {
        return new InProcessMissionQueue(java.time.Clock.systemUTC(), priorities);
    }

    @Override
    MissionQueue takerQueue() {
        return queue;
    }

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
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

    @Test
    void a_low_priority_mission_is_not_starved_by_later_high_ones() throws Exception {
        HandClock clock = new HandClock();
        InProcessMissionQueue q = new InProcessMissionQueue(clock);
        UUID low = UUID.randomUUID();
        q.push(low, QueuePriority.LOW);
        clock.now = clock.now.plus(Duration.ofMinutes(4));
        UUID earlyHigh = UUID.randomUUID();
        q.push(earlyHigh, QueuePriority.HIGH);
        clock.now = clock.now.plus(Duration.ofMinutes(7));
        UUID lateHigh = UUID.randomUUID();
        UUID lateNormal = UUID.randomUUID();
        q.push(lateHigh, QueuePriority.HIGH);
        q.push(lateNormal, QueuePriority.NORMAL);
        // Pushed 11 minutes after it, the high one has waited less than the low one's ten-minute handicap.
        assertThat(q.take(Duration.ofMillis(100))).contains(earlyHigh);
        assertThat(q.take(Duration.ofMillis(100))).contains(low);
        assertThat(q.take(Duration.ofMillis(100))).contains(lateHigh);
        assertThat(q.take(Duration.ofMillis(100))).contains(lateNormal);
    }
}
