package io.askexpert.sessions;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A turn to append to a session. */
public record NewMessage(String role, String content, List<Map<String, Object>> citations, @Nullable String runId,
                         @Nullable String model, Message.TokenCounts tokens, BigDecimal costUsd) {

    public NewMessage {
        Objects.requireNonNull(content, "content");
        citations = List.copyOf(citations);
        if (!role.equals("user") && !role.equals("assistant")) {
            throw new IllegalArgumentException("role must be user or assistant, got " + role);
        }
    }

    public static NewMessage user(String content, @Nullable String runId) {
        return new NewMessage("user", content, List.of(), runId, null, Message.TokenCounts.NONE, BigDecimal.ZERO);
    }
}
