package io.askexpert.interactive;

import io.askexpert.config.Mode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The interactive series of api.md §8 ("TTFT per mode, active streams, tokens and cost"):
 * {@code ask_expert_time_to_first_token_seconds{mode}} from the request to the first relayed
 * token (the runbook's "Mode 1 TTFT" alert reads it), {@code ask_expert_active_answers{mode}},
 * and {@code ask_expert_answers_total{mode,outcome}}.
 */
final class InteractiveMetrics {

    private final MeterRegistry registry;
    private final Map<Mode, AtomicInteger> active = new EnumMap<>(Mode.class);

    InteractiveMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Mode mode : Mode.values()) {
            if (mode.interactive()) {
                AtomicInteger answers = new AtomicInteger();
                active.put(mode, answers);
                Gauge.builder("ask_expert.active.answers", answers, AtomicInteger::get)
                        .description("Interactive answers being generated").tag("mode", mode.shortName()).register(registry);
            }
        }
    }

    void started(Mode mode) {
        active.get(mode).incrementAndGet();
    }

    void firstToken(Mode mode, Duration sinceRequest) {
        Timer.builder("ask_expert.time.to.first.token").description("Request to the first token relayed to the client")
                .tag("mode", mode.shortName()).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry).record(sinceRequest);
    }

    void ended(Mode mode, String outcome) {
        active.get(mode).decrementAndGet();
        Counter.builder("ask_expert.answers").description("Interactive answers by how they ended")
                .tags("mode", mode.shortName(), "outcome", outcome).register(registry).increment();
    }
}
