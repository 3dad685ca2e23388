package io.askexpert.testsupport;

import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The zero-configuration default whatever the machine's environment says: the embedded
 * PostgreSQL in {@code dataDir}, no Redis, no LLM key, the JWT secret the service generates.
 */
public final class KeylessDefault {

    private KeylessDefault() {
    }

    public static void register(DynamicPropertyRegistry registry, Path dataDir) {
        registry.add("ask-expert.data-dir", dataDir::toString);
        registry.add("ask-expert.langfuse.enabled", () -> "false");
        registry.add("ask-expert.database.url", () -> "");
        registry.add("ask-expert.redis.url", () -> "");
        registry.add("ask-expert.auth.jwt-secret", () -> "");
        registry.add("ask-expert.llm.anthropic-api-key", () -> "");
        registry.add("ask-expert.llm.openai-api-key", () -> "");
    }
}
