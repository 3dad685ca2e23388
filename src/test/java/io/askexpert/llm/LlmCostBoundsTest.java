package io.askexpert.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a call may cost at most, and a request fitted to a spending limit: the prompt at the input
 * price and {@code max_tokens} at the output price, on the dearest model the call may be answered by.
 * No request is sent.
 */
class LlmCostBoundsTest {

    private static final PriceTable PRICES = PriceTable.load(Optional.empty());
    private static final URI NOWHERE = URI.create("http://127.0.0.1:9");
    private static final String SONNET = "claude-sonnet-4-20250514";

    private static LlmGateway gateway(LlmTestSettings settings) {
        return new LlmGateway(settings.build(), PRICES, new SimpleMeterRegistry());
    }

    /** A prompt of exactly {@code tokens} tokens as budgets count them (four characters each). */
    private static LlmRequest prompt(String model, int tokens, int maxTokens) {
        LlmRequest r = LlmRequest.of(model, "s".repeat(tokens * 4 - 4), "q?!.", maxTokens);
        assertThat(r.estimatedInputTokens()).isEqualTo(tokens);
        return r;
    }

    @Test
    void the_bound_prices_the_prompt_and_max_tokens_at_the_dearest_model_of_the_chain() {
        try (LlmGateway plain = gateway(LlmTestSettings.against(NOWHERE, NOWHERE));
             LlmGateway fallback = gateway(LlmTestSettings.against(NOWHERE, NOWHERE).withFallback("openai:gpt-4o"))) {
            // 6,000 x 3 + 1,500 x 15 USD per million
            assertThat(plain.maxCost(SONNET, 6_000, 1_500)).isEqualByComparingTo("0.0405");
            // gpt-4o-mini answers at 0.15 / 0.60, but may fall back to gpt-4o at 2.50 / 10.00
            assertThat(plain.maxCost("gpt-4o-mini", 6_000, 1_500)).isEqualByComparingTo("0.0018");
            assertThat(fallback.maxCost("gpt-4o-mini", 6_000, 1_500)).isEqualByComparingTo("0.03");
            // no model named: the default one
            assertThat(plain.maxCost(null, 6_000, 1_500)).isEqualByComparingTo("0.0405");
        }
    }

    @Test
    void a_request_is_fitted_to_a_limit_by_its_max_tokens_and_refused_when_too_little_fits() {
        try (LlmGateway llm = gateway(LlmTestSettings.against(NOWHERE, NOWHERE))) {
            LlmRequest request = prompt(SONNET, 2_000, 1_500);
            assertThat(llm.maxCost(SONNET, 2_000, 1_500)).isEqualByComparingTo("0.0285");

            assertThat(llm.within(request, new BigDecimal("0.0285"), 200)).contains(request);
            assertThat(llm.within(request, new BigDecimal("1"), 200)).contains(request);
            // 0.02 USD: 6,000 micro-dollars of prompt leave 14,000, that is 933 tokens at 15 per million
            LlmRequest fitted = llm.within(request, new BigDecimal("0.02"), 200).orElseThrow();
            assertThat(fitted.maxTokens()).isEqualTo(933);
            assertThat(fitted.withMaxTokens(1_500)).isEqualTo(request);
            assertThat(llm.maxCost(SONNET, 2_000, 933)).isLessThanOrEqualTo(new BigDecimal("0.02"));
            assertThat(llm.maxCost(SONNET, 2_000, 934)).isGreaterThan(new BigDecimal("0.02"));
            // room for 199 tokens only, or not even for the prompt
            assertThat(llm.within(request, new BigDecimal("0.008985"), 200)).isEmpty();
            assertThat(llm.within(request, new BigDecimal("0.00900"), 200)).map(LlmRequest::maxTokens).contains(200);
            assertThat(llm.within(request, new BigDecimal("0.005"), 1)).isEmpty();
        }
    }

    @Test
    void a_fallback_model_that_costs_more_limits_the_answer_as_well() {
        try (LlmGateway llm = gateway(LlmTestSettings.against(NOWHERE, NOWHERE).withFallback("openai:gpt-4o"))) {
            LlmRequest request = prompt("gpt-4o-mini", 1_000, 1_500);
            // gpt-4o: 1,000 x 2.50 = 2,500 micro-dollars of prompt; 5,000 left buy 500 tokens at 10 per million
            assertThat(llm.within(request, new BigDecimal("0.0075"), 100).orElseThrow().maxTokens()).isEqualTo(500);
        }
    }

    @Test
    void a_model_without_a_price_costs_nothing_and_is_not_limited() {
        try (LlmGateway offline = gateway(LlmTestSettings.offline())) {
            LlmRequest request = prompt(SONNET, 2_000, 1_500);
            assertThat(offline.maxCost(SONNET, 2_000, 1_500)).isEqualByComparingTo("0");
            assertThat(offline.within(request, new BigDecimal("0.000001"), 200)).contains(request);
        }
    }
}
