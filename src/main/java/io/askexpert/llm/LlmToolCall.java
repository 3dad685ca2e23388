package io.askexpert.llm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A tool call the model made, with its whole input.
 *
 * @param id    the provider's id for it ({@code toolu_…}, {@code call_…}); the result sent back names it
 * @param input the arguments, a JSON object as maps, lists, strings, numbers, booleans and nulls
 */
public record LlmToolCall(String id, String name, Map<String, @Nullable Object> input) {

    public LlmToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        input = Collections.unmodifiableMap(new LinkedHashMap<>(input));
    }
}
