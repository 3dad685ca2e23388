package io.askexpert.llm;

import java.util.Objects;

/** One conversation turn sent to the model. */
public record LlmMessage(Role role, String content) {

    public enum Role { USER, ASSISTANT;

        public String wire() {
            return this == USER ? "user" : "assistant";
        }
    }

    public LlmMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public static LlmMessage user(String content) {
        return new LlmMessage(Role.USER, content);
    }

    public static LlmMessage assistant(String content) {
        return new LlmMessage(Role.ASSISTANT, content);
    }
}
