package io.askexpert.llm.provider;

import io.askexpert.llm.LlmFailure;
import io.askexpert.llm.LlmFailureException;
import io.askexpert.llm.LlmToolCall;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tool call whose input is still streaming: Anthropic's {@code partial_json} or OpenAI's
 * {@code arguments} fragments, joined, then parsed once when the call is whole.
 */
final class PartialToolCall {

    private final String id;
    private String name;
    private final StringBuilder input = new StringBuilder();

    PartialToolCall(String id, String name) {
        this.id = id;
        this.name = name;
    }

    void append(String fragment) {
        input.append(fragment);
    }

    /** Some servers send the name after the id; the first non-empty one is kept. */
    void name(String value) {
        if (name.isEmpty()) {
            name = value;
        }
    }

    LlmToolCall finish(JsonMapper json, String provider) throws LlmFailureException {
        return parse(json, provider, id, name, input.isEmpty() ? "{}" : input.toString());
    }

    /** A whole call from its id, name and input JSON text ({@code {}} when the model sent none). */
    static LlmToolCall parse(JsonMapper json, String provider, String id, String name, String inputJson)
            throws LlmFailureException {
        JsonNode input;
        try {
            input = json.readTree(inputJson.isBlank() ? "{}" : inputJson);
        } catch (JacksonException e) {
            input = null;
        }
        return of(json, provider, id, name, input);
    }

    /** A whole call from an input that is already a JSON tree (a non-streamed Anthropic answer). */
    @SuppressWarnings("unchecked")
    static LlmToolCall of(JsonMapper json, String provider, String id, String name, @Nullable JsonNode input)
            throws LlmFailureException {
        if (input == null || !input.isObject() || id.isEmpty() || name.isEmpty()) {
            throw new LlmFailureException(LlmFailure.of(LlmFailure.Kind.INVALID_OUTPUT, provider
                    + ": the model's call to tool '" + name + "' has no id or an input that is not a JSON object"));
        }
        return new LlmToolCall(id, name, json.treeToValue(input, Map.class));
    }
}
