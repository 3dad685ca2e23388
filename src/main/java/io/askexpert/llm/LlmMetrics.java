package io.askexpert.llm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's Prometheus series: {@code llm_requests_total{provider,model,outcome}},
 * {@code llm_tokens_total{provider,model,type}}, {@code llm_cost_usd_total{provider,model}},
 * {@code llm_retries_total{provider,reason}}, {@code llm_fallbacks_total{provider}},
 * {@code llm_time_to_first_token_seconds{provider,model}} and the gauge {@code llm_active_streams}.
 * Recorded once per attempt or call, never per token.
 */
final class LlmMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();

    LlmMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("llm.active.streams", active);
    }

    void streamOpened() {
        active.incrementAndGet();
    }

    void streamClosed() {
        active.decrementAndGet();
    }

    void firstToken(String provider, String model, Duration elapsed) {
        Timer.builder("llm.time.to.first.token").tag("provider", provider).tag("model", model)
                .publishPercentileHistogram().register(registry).record(elapsed);
    }

    void retry(String provider, LlmFailure.Kind reason) {
        registry.counter("llm.retries", "provider", provider, "reason", reason.name().toLowerCase()).increment();
    }

    void fallback(String fromProvider) {
        registry.counter("llm.fallbacks", "provider", fromProvider).increment();
    }

    void finished(String provider, String model, String outcome, Usage usage, BigDecimal cost) {
        registry.counter("llm.requests", "provider", provider, "model", model, "outcome", outcome).increment();
        tokens(provider, model, "input", usage.inputTokens());
        tokens(provider, model, "output", usage.outputTokens());
        tokens(provider, model, "cache_read", usage.cacheReadTokens());
        tokens(provider, model, "cache_write", usage.cacheWriteTokens());
        Counter.builder("llm.cost.usd").tag("provider", provider).tag("model", model).register(registry)
                .increment(cost.doubleValue());
    }

    private void tokens(String provider, String model, String type, long count) {
        if (count > 0) {
            registry.counter("llm.tokens", "provider", provider, "model", model, "type", type).increment(count);
        }
    }
}
