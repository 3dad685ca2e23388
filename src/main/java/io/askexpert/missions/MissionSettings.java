package io.askexpert.missions;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * The engine's timings. {@code MISSION_LEASE_TTL}: how long a worker's hold on a running mission
 * lasts without renewal (renewed every third of it), so also how soon another worker takes over
 * the mission of a worker that died. The others are the periods of the periodic duties.
 *
 * @param queuedGrace    a queued mission nobody took for this long is pushed again (its queue entry was lost)
 * @param sweepInterval  how often the lease reaper and the checkpoint timeouts look
 * @param retainInterval how often the event logs of live missions are kept alive
 */
@ConfigurationProperties("ask-expert.missions")
public record MissionSettings(
        @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("30") Duration leaseTtl,
        @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("60") Duration queuedGrace,
        @DurationUnit(ChronoUnit.MILLIS) @DefaultValue("1000") Duration sweepInterval,
        @DurationUnit(ChronoUnit.MINUTES) @DefaultValue("10") Duration retainInterval) {

    public MissionSettings {
        if (leaseTtl == null || leaseTtl.toMillis() < 300) {
            throw new IllegalArgumentException("MISSION_LEASE_TTL must be at least 0.3 seconds");
        }
        if (queuedGrace == null || queuedGrace.isNegative() || queuedGrace.isZero()) {
            throw new IllegalArgumentException("ask-expert.missions.queued-grace must be positive");
        }
        if (sweepInterval == null || sweepInterval.toMillis() < 10) {
            throw new IllegalArgumentException("ask-expert.missions.sweep-interval must be at least 10 ms");
        }
        if (retainInterval == null || retainInterval.isNegative() || retainInterval.isZero()) {
            throw new IllegalArgumentException("ask-expert.missions.retain-interval must be positive");
        }
    }

    /** How often a worker renews its lease. */
    Duration renewEvery() {
        return leaseTtl.dividedBy(3);
    }
}
