package io.askexpert.missions;

import io.askexpert.queue.MissionQueue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The engine's series, named as the runbook's alerts and dashboards read them:
 * {@code ask_expert_queue_depth} (the Queue Depth alert), {@code ask_expert_active_missions} (held by
 * this process's workers), {@code ask_expert_missions{state}} (all missions, from the database,
 * read at most every few seconds), {@code ask_expert_mission_step_duration_seconds{mode,outcome}},
 * {@code ask_expert_mission_cost_usd_total{mode}} and {@code ask_expert_checkpoint_wait_seconds{type,outcome}}.
 */
final class MissionMetrics {

    private static final long STATE_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();
    private final Supplier<Map<MissionStatus, Long>> countsSource;
    private volatile Map<MissionStatus, Long> counts = new EnumMap<>(MissionStatus.class);
    private volatile long countedAt = System.nanoTime() - STATE_REFRESH_NANOS - 1;

    MissionMetrics(MeterRegistry registry, MissionQueue queue, Supplier<Map<MissionStatus, Long>> counts) {
        this.registry = registry;
        this.countsSource = counts;
        Gauge.builder("ask_expert.queue.depth", queue, q -> {
            try {
                return q.depth();
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }).description("Missions waiting in ask_expert_queue").register(registry);
        Gauge.builder("ask_expert.active.missions", active, AtomicInteger::get)
                .description("Missions this process's workers are running").register(registry);
        for (MissionStatus s : MissionStatus.values()) {
            Gauge.builder("ask_expert.missions", () -> count(s)).description("Missions by state")
                    .tag("state", s.wireName()).register(registry);
        }
        for (MissionMode mode : MissionMode.values()) {
            costCounter(mode);
            stepTimer(mode, "completed");
        }
        for (CheckpointType type : CheckpointType.values()) {
            checkpointTimer(type.wireName(), "approved");
        }
    }

    private double count(MissionStatus s) {
        long now = System.nanoTime();
        if (now - countedAt > STATE_REFRESH_NANOS) {
            countedAt = now;
            try {
                counts = countsSource.get();
            } catch (RuntimeException e) {
                // keep the last counts while the database is away
            }
        }
        return counts.getOrDefault(s, 0L);
    }

    void started() {
        active.incrementAndGet();
    }

    void ended() {
        active.decrementAndGet();
    }

    int active() {
        return active.get();
    }

    void step(MissionMode mode, String outcome, long nanos) {
        stepTimer(mode, outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer stepTimer(MissionMode mode, String outcome) {
        return Timer.builder("ask_expert.mission.step.duration").description("A mission step, start to completion")
                .tags("mode", "mode" + mode.number(), "outcome", outcome).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    void cost(MissionMode mode, BigDecimal usd) {
        if (usd.signum() > 0) {
            costCounter(mode).increment(usd.doubleValue());
        }
    }

    private Counter costCounter(MissionMode mode) {
        return Counter.builder("ask_expert.mission.cost.usd").description("Cost of missions' LLM and tool calls")
                .tag("mode", "mode" + mode.number()).register(registry);
    }

    /** A checkpoint's wait, from asking to its decision ({@code approved|rejected|modified|expired}). */
    void checkpointWaited(String type, String outcome, Duration waited) {
        checkpointTimer(type, outcome).record(waited.isNegative() ? Duration.ZERO : waited);
    }

    private Timer checkpointTimer(String type, String outcome) {
        return Timer.builder("ask_expert.checkpoint.wait").description("How long a checkpoint waited for its decision")
                .tags("type", type, "outcome", outcome).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofDays(1))
                .register(registry);
    }
}
