package io.askexpert.interactive;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The interactive series of api.md §8 ("TTFT per mode, active streams, tokens and cost"):
 * {@code ask_expert_time_to_first_token_seconds{mode}} from the request to the first relayed
 * token (the runbook's "Mode 1 TTFT" alert reads it), {@code ask_expert_active_answers{mode}},
 * and {@code ask_expert_answers_total{mode,outcome}}.
 */
final class InteractiveMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger[] active = {new AtomicInteger(), new AtomicInteger()};

    InteractiveMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (int mode = 1; mode <= 2; mode++) {
            Gauge.builder("ask_expert.active.answers", active[mode - 1], AtomicInteger::get)
                    .description("Interactive answers being generated").tag("mode", "mode" + mode).register(registry);
        }
    }

    void started(int mode) {
        active[mode - 1].incrementAndGet();
    }

    void firstToken(int mode, Duration sinceRequest) {
        Timer.builder("ask_expert.time.to.first.token").description("Request to the first token relayed to the client")
                .tag("mode", "mode" + mode).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry).record(sinceRequest);
    }

    void ended(int mode, String outcome) {
        active[mode - 1].decrementAndGet();
        Counter.builder("ask_expert.answers").description("Interactive answers by how they ended")
                .tags("mode", "mode" + mode, "outcome", outcome).register(registry).increment();
    }
}
