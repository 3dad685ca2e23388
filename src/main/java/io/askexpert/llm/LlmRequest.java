package io.askexpert.llm;

import io.askexpert.knowledge.Source;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One generation. The gateway appends {@code passages} to the system prompt as numbered sources
 * ({@code [n] title: excerpt}) so the model can cite them as {@code [n]}; callers pass passages
 * here rather than formatting them into the prompt. The offline provider answers from them.
 *
 * @param model       a model name ({@code claude-…}, {@code gpt-…}), optionally prefixed with the
 *                    provider ({@code anthropic:…}, {@code openai:…}); null means the configured default
 * @param deadline    the caller's overall limit (for example {@code MODE1_TIMEOUT}); null means none
 */
public record LlmRequest(@Nullable String model, String system, List<LlmMessage> messages, int maxTokens,
                         double temperature, List<Source> passages, @Nullable Instant deadline) {

    public LlmRequest {
        Objects.requireNonNull(system, "system");
        messages = List.copyOf(messages);
        passages = List.copyOf(passages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("an LLM request needs at least one message");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        }
        if (temperature < 0 || temperature > 2) {
            throw new IllegalArgumentException("temperature must be between 0 and 2, got " + temperature);
        }
    }

    /** A single question with no history, passages or deadline. */
    public static LlmRequest of(@Nullable String model, String system, String question, int maxTokens) {
        return new LlmRequest(model, system, List.of(LlmMessage.user(question)), maxTokens, 0.2, List.of(), null);
    }

    public LlmRequest withModel(@Nullable String newModel) {
        return new LlmRequest(newModel, system, messages, maxTokens, temperature, passages, deadline);
    }

    public LlmRequest withPassages(List<Source> newPassages) {
        return new LlmRequest(model, system, messages, maxTokens, temperature, newPassages, deadline);
    }

    public LlmRequest withDeadline(@Nullable Instant newDeadline) {
        return new LlmRequest(model, system, messages, maxTokens, temperature, passages, newDeadline);
    }

    /** The newest user turn: what the offline provider answers. */
    public String question() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == LlmMessage.Role.USER) {
                return messages.get(i).content();
            }
        }
        return messages.getLast().content();
    }

    /** The system prompt with the numbered passages the model may cite. */
    public String systemWithSources() {
        if (passages.isEmpty()) {
            return system;
        }
        StringBuilder out = new StringBuilder(system);
        out.append(system.isEmpty() ? "" : "\n\n")
                .append("Sources (cite them as [n] where you use them):\n");
        for (Source p : passages) {
            out.append('[').append(p.index()).append("] ").append(p.title()).append(": ")
                    .append(p.excerpt().replace('\n', ' ')).append('\n');
        }
        return out.toString();
    }
}
