package io.askexpert.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.knowledge.Source;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The series docs/LLM.md and docs/OPERATIONS.md name are the ones /metrics shows. */
class LlmMetricsTest {

    @Test
    void a_call_shows_up_under_the_documented_prometheus_names() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (LlmGateway gateway = new LlmGateway(LlmTestSettings.offline().build(), PriceTable.load(Optional.empty()),
                registry)) {
            Source passage = new Source("c1", 1, "kb", "Primer", "Stability data for the drug substance is required.",
                    null, 0.9, "d1", "c1", Map.of());
            gateway.stream(LlmRequest.of(null, "", "Which stability data is required?", 256)
                    .withPassages(List.of(passage)), e -> { }).terminal().get(5, TimeUnit.SECONDS);
        }
        String scrape = registry.scrape();
        assertThat(scrape).contains("llm_requests_total{model=\"offline-extractive\",outcome=\"completed\",provider=\"offline\"} 1.0")
                .contains("llm_tokens_total{model=\"offline-extractive\",provider=\"offline\",type=\"output\"}")
                .contains("llm_cost_usd_total{model=\"offline-extractive\",provider=\"offline\"} 0.0")
                .contains("llm_time_to_first_token_seconds_bucket")
                .contains("llm_active_streams 0.0");
    }
}
