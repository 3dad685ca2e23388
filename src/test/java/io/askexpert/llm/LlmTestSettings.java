package io.askexpert.llm;

import io.askexpert.config.LlmSettings;
import io.askexpert.config.Secret;
import java.net.URI;
import java.time.Duration;

/** Gateway settings for tests: short timeouts and backoff so failure paths run in well under a second. */
record LlmTestSettings(String anthropicKey, URI anthropicUrl, String openaiKey, URI openaiUrl, String fallbackModel,
                       Duration firstToken, Duration gap, int maxRetries, int breakerWindow) {

    static LlmTestSettings against(URI anthropic, URI openai) {
        return new LlmTestSettings("test-key", anthropic, "test-key", openai, "", Duration.ofMillis(800),
                Duration.ofMillis(800), 1, 10);
    }

    static LlmTestSettings offline() {
        return new LlmTestSettings("", URI.create("http://127.0.0.1:9"), "", URI.create("http://127.0.0.1:9/v1"), "",
                Duration.ofSeconds(5), Duration.ofSeconds(5), 0, 10);
    }

    LlmTestSettings anthropicOnly() {
        return new LlmTestSettings(anthropicKey, anthropicUrl, "", openaiUrl, fallbackModel, firstToken, gap, maxRetries, breakerWindow);
    }

    LlmTestSettings openAiOnly() {
        return new LlmTestSettings("", anthropicUrl, openaiKey, openaiUrl, fallbackModel, firstToken, gap, maxRetries, breakerWindow);
    }

    LlmTestSettings withFallback(String model) {
        return new LlmTestSettings(anthropicKey, anthropicUrl, openaiKey, openaiUrl, model, firstToken, gap, maxRetries, breakerWindow);
    }

    LlmTestSettings withRetries(int retries) {
        return new LlmTestSettings(anthropicKey, anthropicUrl, openaiKey, openaiUrl, fallbackModel, firstToken, gap, retries, breakerWindow);
    }

    LlmTestSettings withBreakerWindow(int window) {
        return new LlmTestSettings(anthropicKey, anthropicUrl, openaiKey, openaiUrl, fallbackModel, firstToken, gap, maxRetries, window);
    }

    LlmSettings build() {
        return new LlmSettings(Secret.of(anthropicKey), anthropicUrl, "claude-sonnet-4-20250514",
                Secret.of(openaiKey), openaiUrl, "gpt-4o-mini", fallbackModel, Duration.ofSeconds(2), firstToken, gap,
                maxRetries, Duration.ofMillis(20), Duration.ofSeconds(5), "", breakerWindow, 50, Duration.ofSeconds(30),
                // The provider tests run against either upstream client: -Dtest.llm.http-client=jdk|jdk-4|blocking.
                System.getProperty("test.llm.http-client", "jdk-4"));
    }
}
