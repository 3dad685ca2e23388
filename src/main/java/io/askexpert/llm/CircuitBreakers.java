package io.askexpert.llm;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * One circuit breaker per provider and model ({@code anthropic/claude-sonnet-4-20250514}), made on
 * first use. Per model, not per provider, because providers fail per model (Anthropic's 529
 * "overloaded" and most 5xx bursts hit one model's capacity), and {@code LLM_FALLBACK_MODEL} is
 * most often a sibling model on the same provider: a per-provider breaker opened by the primary
 * skipped that fallback too, so every request failed fast until the breaker closed. A whole
 * provider that is down still opens each model's breaker after that model's own window. Model
 * names come from configuration (the catalogue, {@code *_MODEL}), not from clients; past
 * {@value #MAX_MODELS} of them, further models share one breaker per provider so the map stays bounded.
 */
final class CircuitBreakers {

    static final int MAX_MODELS = 1_000;

    private final CircuitBreakerConfig config;
    private final ConcurrentMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

    CircuitBreakers(int window, float failureRatePercent, Duration openFor) {
        this.config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(window)
                .minimumNumberOfCalls(Math.max(2, window / 2))
                .failureRateThreshold(failureRatePercent)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(2)
                .build();
    }

    /** The breaker guarding {@code target}, or null for the offline provider, which cannot fail that way. */
    @Nullable CircuitBreaker of(ModelRouter.Target target) {
        if (target.provider().offline()) {
            return null;
        }
        String key = target.provider().name() + "/" + target.model();
        CircuitBreaker existing = breakers.get(key);
        if (existing != null) {
            return existing;
        }
        if (breakers.size() >= MAX_MODELS) {
            key = target.provider().name() + "/*";
        }
        return breakers.computeIfAbsent(key, k -> CircuitBreaker.of("llm-" + k, config));
    }

    /** Each breaker used so far: {@code provider/model} → {@code closed}, {@code open} or {@code half_open}. */
    Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        breakers.forEach((key, b) -> states.put(key, b.getState().name().toLowerCase(Locale.ROOT)));
        return states;
    }
}
