package io.askexpert.llm;

import io.askexpert.config.AskExpertSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.askexpert.observability.ComponentHealth;
import io.askexpert.observability.HealthCheck;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the price table and the gateway from {@code LlmSettings}. */
@Configuration(proxyBeanMethods = false)
class LlmConfiguration {

    @Bean
    PriceTable priceTable(AskExpertSettings settings) {
        String file = settings.llm().pricesFile();
        return PriceTable.load(file.isBlank() ? Optional.empty() : Optional.of(Path.of(file.strip())));
    }

    /**
     * {@code llm} in {@code /health/detailed}: degraded while a model's breaker is open, unhealthy
     * when every model used so far has its breaker open.
     */
    @Bean
    HealthCheck llmHealthCheck(LlmGateway gateway) {
        return new HealthCheck() {
            @Override
            public String name() {
                return "llm";
            }

            @Override
            public ComponentHealth check() {
                if (gateway.offline()) {
                    return ComponentHealth.healthy("offline provider (no API key): extractive answers");
                }
                Map<String, String> states = gateway.breakerStates();
                if (states.isEmpty()) {
                    return ComponentHealth.healthy("no model called yet");
                }
                long open = states.values().stream().filter("open"::equals).count();
                String detail = states.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", "));
                return open == 0 ? ComponentHealth.healthy(detail)
                        : open < states.size() ? ComponentHealth.degraded(detail) : ComponentHealth.unhealthy(detail);
            }
        };
    }

    @Bean(destroyMethod = "close")
    LlmGateway llmGateway(AskExpertSettings settings, PriceTable prices, ObjectProvider<MeterRegistry> registry) {
        return new LlmGateway(settings.llm(), prices, registry.getIfAvailable(SimpleMeterRegistry::new));
    }
}
