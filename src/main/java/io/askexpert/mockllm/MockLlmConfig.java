package io.askexpert.mockllm;

import java.time.Duration;

/**
 * How the mock answers when a request asks for no fault.
 *
 * @param port             0 picks a free port
 * @param ttft             time from request to the first token
 * @param tokensPerSecond  streaming rate of each answer after the first token
 * @param answerTokens     tokens per answer (fewer when the request's {@code max_tokens} is lower)
 * @param cacheReadTokens  reported in usage as cache reads (OpenAI: {@code cached_tokens})
 * @param cacheWriteTokens reported as cache writes (Anthropic only; OpenAI has none)
 * @param stallLimit       how long a stalled response is held open before the mock closes it
 */
public record MockLlmConfig(int port, Duration ttft, int tokensPerSecond, int answerTokens, long cacheReadTokens,
                            long cacheWriteTokens, Duration stallLimit) {

    public MockLlmConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
        if (ttft.isNegative() || tokensPerSecond < 1 || answerTokens < 1 || cacheReadTokens < 0 || cacheWriteTokens < 0) {
            throw new IllegalArgumentException("ttft >= 0, tokens per second >= 1, answer tokens >= 1, cache tokens >= 0");
        }
    }

    /** Fast defaults for tests: 20 ms to the first token, 200 tokens/s, 20 tokens. */
    public static MockLlmConfig forTests() {
        return new MockLlmConfig(0, Duration.ofMillis(20), 200, 20, 0, 0, Duration.ofMinutes(2));
    }

    public MockLlmConfig withTiming(Duration newTtft, int newTokensPerSecond, int newAnswerTokens) {
        return new MockLlmConfig(port, newTtft, newTokensPerSecond, newAnswerTokens, cacheReadTokens, cacheWriteTokens, stallLimit);
    }

    public MockLlmConfig withCacheTokens(long read, long write) {
        return new MockLlmConfig(port, ttft, tokensPerSecond, answerTokens, read, write, stallLimit);
    }

    public MockLlmConfig withPort(int newPort) {
        return new MockLlmConfig(newPort, ttft, tokensPerSecond, answerTokens, cacheReadTokens, cacheWriteTokens, stallLimit);
    }
}
