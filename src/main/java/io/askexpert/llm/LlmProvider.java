package io.askexpert.llm;

/**
 * One LLM backend: Anthropic Messages, an OpenAI-compatible chat-completions server, or the
 * offline extractive answerer. A provider runs one attempt on the calling thread and reports
 * through the {@link Attempt}; retries, fallback, breakers, timeouts and pricing are the
 * gateway's. Implementations: {@code AnthropicProvider}, {@code OpenAiProvider}, {@code OfflineProvider}.
 */
public interface LlmProvider {

    /** {@code anthropic}, {@code openai} or {@code offline}: the provider label on events, metrics and costs. */
    String name();

    /** True for the provider that answers without any model (no key configured). */
    boolean offline();

    /**
     * Streams one turn: each text delta goes to {@link Attempt#text}, each piece of a tool call to
     * {@link Attempt#toolProgress} and each whole call to {@link Attempt#toolCall}, the usage the
     * provider reports to {@link Attempt#usage}. Returns the stop reason when the stream ended
     * normally. The body must be {@linkplain Attempt#attach attached} so cancel and timeouts can abort it.
     */
    StopReason stream(LlmRequest request, String model, Attempt attempt) throws LlmFailureException;

    /** The same turn without streaming; tool calls and usage are reported the same way. Returns the text and stop reason. */
    Answer complete(LlmRequest request, String model, Attempt attempt) throws LlmFailureException;

    /** A whole non-streamed answer's text and why it stopped. */
    record Answer(String text, StopReason stopReason) {
    }
}
