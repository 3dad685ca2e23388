package io.askexpert.llm;

import io.askexpert.config.AskExpertSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the price table and the gateway from {@code AskExpertSettings.Llm}. */
@Configuration(proxyBeanMethods = false)
class LlmConfiguration {

    @Bean
    PriceTable priceTable(AskExpertSettings settings) {
        String file = settings.llm().pricesFile();
        return PriceTable.load(file.isBlank() ? Optional.empty() : Optional.of(Path.of(file.strip())));
    }

    @Bean(destroyMethod = "close")
    LlmGateway llmGateway(AskExpertSettings settings, PriceTable prices, ObjectProvider<MeterRegistry> registry) {
        return new LlmGateway(settings.llm(), prices, registry.getIfAvailable(SimpleMeterRegistry::new));
    }
}
