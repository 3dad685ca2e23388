package io.askexpert.llm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A tool the model may call: sent as Anthropic {@code tools[].input_schema} or OpenAI
 * {@code tools[].function.parameters}.
 *
 * @param name        {@code [A-Za-z0-9_-]{1,64}}, the rule both providers enforce
 * @param inputSchema the JSON Schema of the tool's input, an object schema
 *                    ({@code {"type": "object", "properties": {…}, "required": […]}})
 */
public record LlmTool(String name, String description, Map<String, @Nullable Object> inputSchema) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public LlmTool {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a tool name must match [A-Za-z0-9_-]{1,64}, got '" + name + "'");
        }
        if (!"object".equals(inputSchema.get("type"))) {
            throw new IllegalArgumentException("tool " + name + ": the input schema must have \"type\": \"object\"");
        }
        inputSchema = Collections.unmodifiableMap(new LinkedHashMap<>(inputSchema));
    }
}
