package io.askexpert.llm;

import io.askexpert.knowledge.Source;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One generation. The gateway appends {@code passages} to the system prompt as numbered sources
 * ({@code [n] title: excerpt}) so the model can cite them as {@code [n]}; callers pass passages
 * here rather than formatting them into the prompt. The offline provider answers from them.
 *
 * @param model      a model name ({@code claude-…}, {@code gpt-…}), optionally prefixed with the
 *                   provider ({@code anthropic:…}, {@code openai:…}); null means the configured default
 * @param messages   the conversation; every {@link LlmMessage.ToolResults} answers exactly the calls of
 *                   the {@link LlmMessage.ToolCalls} right before it
 * @param deadline   the caller's overall limit (for example {@code MODE1_TIMEOUT}); null means none
 * @param tools      the tools the model may call (none: a plain generation, the request the modes 1
 *                   and 2 send); the offline provider ignores them
 * @param toolChoice whether and which tool the model must call; only {@code AUTO} or {@code NONE} without tools
 */
public record LlmRequest(@Nullable String model, String system, List<LlmMessage> messages, int maxTokens,
                         double temperature, List<Source> passages, @Nullable Instant deadline,
                         List<LlmTool> tools, LlmToolChoice toolChoice) {

    public LlmRequest {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(toolChoice, "toolChoice");
        messages = List.copyOf(messages);
        passages = List.copyOf(passages);
        tools = List.copyOf(tools);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("an LLM request needs at least one message");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        }
        if (temperature < 0 || temperature > 2) {
            throw new IllegalArgumentException("temperature must be between 0 and 2, got " + temperature);
        }
        checkTools(tools, toolChoice);
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) instanceof LlmMessage.ToolResults results) {
                if (i == 0 || !(messages.get(i - 1) instanceof LlmMessage.ToolCalls calls)) {
                    throw new IllegalArgumentException("tool results must follow the tool-calls turn they answer");
                }
                results.checkAnswers(calls);
            }
        }
    }

    /** A plain generation without tools: the request modes 1 and 2 send. */
    public LlmRequest(@Nullable String model, String system, List<LlmMessage> messages, int maxTokens,
                      double temperature, List<Source> passages, @Nullable Instant deadline) {
        this(model, system, messages, maxTokens, temperature, passages, deadline, List.of(), LlmToolChoice.AUTO);
    }

    private static void checkTools(List<LlmTool> tools, LlmToolChoice choice) {
        Set<String> names = new HashSet<>();
        for (LlmTool t : tools) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("tool names must be unique; '" + t.name() + "' appears twice");
            }
        }
        switch (choice) {
            case LlmToolChoice.Auto a -> { }
            case LlmToolChoice.None n -> { }
            case LlmToolChoice.Any a -> {
                if (tools.isEmpty()) {
                    throw new IllegalArgumentException("tool choice 'any' needs at least one tool");
                }
            }
            case LlmToolChoice.Tool t -> {
                if (!names.contains(t.name())) {
                    throw new IllegalArgumentException("tool choice names '" + t.name() + "', which is not among the tools");
                }
            }
        }
    }

    /** A single question with no history, passages or deadline. */
    public static LlmRequest of(@Nullable String model, String system, String question, int maxTokens) {
        return new LlmRequest(model, system, List.of(LlmMessage.user(question)), maxTokens, 0.2, List.of(), null);
    }

    public LlmRequest withModel(@Nullable String newModel) {
        return new LlmRequest(newModel, system, messages, maxTokens, temperature, passages, deadline, tools, toolChoice);
    }

    public LlmRequest withMaxTokens(int newMaxTokens) {
        return new LlmRequest(model, system, messages, newMaxTokens, temperature, passages, deadline, tools, toolChoice);
    }

    /**
     * The prompt's tokens as budgets count them before the call: four characters a token over the
     * system prompt with its sources, the messages (tool calls included) and the tools' declarations.
     */
    public long estimatedInputTokens() {
        long chars = systemWithSources().length();
        for (LlmMessage m : messages) {
            chars += m.text().length();
            if (m instanceof LlmMessage.ToolCalls calls) {
                chars += calls.calls().toString().length();
            }
        }
        for (LlmTool t : tools) {
            chars += t.name().length() + t.description().length() + t.inputSchema().toString().length();
        }
        return (chars + 3) / 4;
    }

    public LlmRequest withPassages(List<Source> newPassages) {
        return new LlmRequest(model, system, messages, maxTokens, temperature, newPassages, deadline, tools, toolChoice);
    }

    public LlmRequest withDeadline(@Nullable Instant newDeadline) {
        return new LlmRequest(model, system, messages, maxTokens, temperature, passages, newDeadline, tools, toolChoice);
    }

    /** The same request over a longer (or other) conversation: the next round of a tool loop. */
    public LlmRequest withMessages(List<LlmMessage> newMessages) {
        return new LlmRequest(model, system, newMessages, maxTokens, temperature, passages, deadline, tools, toolChoice);
    }

    public LlmRequest withTools(List<LlmTool> newTools, LlmToolChoice newChoice) {
        return new LlmRequest(model, system, messages, maxTokens, temperature, passages, deadline, newTools, newChoice);
    }

    /** The newest user text: what the offline provider answers. */
    public String question() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof LlmMessage.Text t && t.role() == LlmMessage.Role.USER) {
                return t.content();
            }
        }
        return messages.getLast().text();
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
