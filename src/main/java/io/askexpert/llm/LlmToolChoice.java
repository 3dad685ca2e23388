package io.askexpert.llm;

import java.util.Objects;

/**
 * Whether and which tool the model must call: {@link #AUTO} (it decides; the default),
 * {@link #NONE} (text only, the tools still described), {@link #ANY} (some tool; OpenAI's
 * {@code required}) or one named tool.
 */
public sealed interface LlmToolChoice {

    LlmToolChoice AUTO = new Auto();
    LlmToolChoice NONE = new None();
    LlmToolChoice ANY = new Any();

    record Auto() implements LlmToolChoice {
    }

    record None() implements LlmToolChoice {
    }

    record Any() implements LlmToolChoice {
    }

    record Tool(String name) implements LlmToolChoice {
        public Tool {
            Objects.requireNonNull(name, "name");
        }
    }

    static LlmToolChoice tool(String name) {
        return new Tool(name);
    }
}
