package io.askexpert.config;

import static io.askexpert.config.AskExpertSettings.requirePositive;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * Provider keys, base URLs and models; {@code LLM_FALLBACK_MODEL} is tried before the first token only.
 * Bound under {@code ask-expert.llm} as {@link AskExpertSettings#llm()}.
 */
public record LlmSettings(
        @DefaultValue("") Secret anthropicApiKey,
        @DefaultValue("https://api.anthropic.com") URI anthropicBaseUrl,
        @DefaultValue("claude-sonnet-4-20250514") String anthropicModel,
        @DefaultValue("") Secret openaiApiKey,
        @DefaultValue("https://api.openai.com/v1") URI openaiBaseUrl,
        @DefaultValue("gpt-4o-mini") String openaiModel,
        @DefaultValue("") String fallbackModel,
        @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("5") Duration connectTimeout,
        @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("20") Duration firstTokenTimeout,
        @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("15") Duration tokenGapTimeout,
        @DefaultValue("2") @Min(0) @Max(10) int maxRetries,
        @DurationUnit(ChronoUnit.MILLIS) @DefaultValue("250") Duration retryBackoff,
        @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("30") Duration maxRetryWait,
        @DefaultValue("") String pricesFile,
        @DefaultValue("10") @Min(2) int breakerWindow,
        @DefaultValue("50") @Min(1) @Max(100) int breakerFailureRate,
        @DurationUnit(ChronoUnit.SECONDS) @DefaultValue("30") Duration breakerOpenDuration,
        @DefaultValue("jdk-4") String httpClient) {
    public LlmSettings {
        if (httpClient == null || !httpClient.strip().matches("blocking|jdk(-[1-9][0-9]?)?")) {
            throw new IllegalArgumentException("ask-expert.llm.http-client must be blocking, jdk or jdk-N (N 1-99), not "
                    + httpClient);
        }
        requirePositive("LLM_CONNECT_TIMEOUT", connectTimeout);
        requirePositive("LLM_FIRST_TOKEN_TIMEOUT", firstTokenTimeout);
        requirePositive("LLM_TOKEN_GAP_TIMEOUT", tokenGapTimeout);
        requirePositive("retry backoff", retryBackoff);
        requirePositive("breaker open duration", breakerOpenDuration);
        if (maxRetryWait == null || maxRetryWait.isNegative()) {
            throw new IllegalArgumentException("the longest Retry-After honoured cannot be negative");
        }
    }

    /** True when no provider key is set: answers come from the offline provider. */
    public boolean offline() {
        return !anthropicApiKey.isPresent() && !openaiApiKey.isPresent();
    }
}
