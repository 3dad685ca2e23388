package io.askexpert.llm;

/**
 * Tokens one call consumed, as the provider reported them. {@code inputTokens} are the uncached
 * prompt tokens only (Anthropic reports them that way; OpenAI's {@code prompt_tokens} include
 * the cached ones, which the OpenAI provider subtracts), so each of the four counts is priced
 * at its own rate.
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {

    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0) {
            throw new IllegalArgumentException("token counts cannot be negative");
        }
    }

    public long totalTokens() {
        return inputTokens + outputTokens + cacheReadTokens + cacheWriteTokens;
    }

    public Usage plus(Usage other) {
        return new Usage(inputTokens + other.inputTokens, outputTokens + other.outputTokens,
                cacheReadTokens + other.cacheReadTokens, cacheWriteTokens + other.cacheWriteTokens);
    }

    public Usage withOutputTokens(long output) {
        return new Usage(inputTokens, output, cacheReadTokens, cacheWriteTokens);
    }
}
