package io.askexpert.llm.provider;

import io.askexpert.llm.Attempt;
import io.askexpert.llm.LlmFailureException;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OpenAI's streamed tool calls: {@code delta.tool_calls[i]} first brings a call's {@code id} and
 * {@code function.name}, then {@code function.arguments} fragments under the same {@code index}.
 * A call is whole when a later index starts or the choice finishes; servers that send a whole call
 * in one chunk (Ollama) fit the same rule.
 */
final class ToolCallDeltas {

    private final JsonMapper json;
    private final String provider;
    private final TreeMap<Integer, PartialToolCall> open = new TreeMap<>();

    ToolCallDeltas(JsonMapper json, String provider) {
        this.json = json;
        this.provider = provider;
    }

    void accept(JsonNode toolCalls, Attempt attempt) throws LlmFailureException {
        int position = 0;
        for (JsonNode delta : toolCalls) {
            int index = delta.path("index").asInt(position++);
            JsonNode function = delta.path("function");
            PartialToolCall call = open.get(index);
            if (call == null) {
                finishBefore(index, attempt);
                call = new PartialToolCall(delta.path("id").asString(""), function.path("name").asString(""));
                open.put(index, call);
            } else {
                call.name(function.path("name").asString(""));
            }
            call.append(function.path("arguments").asString(""));
            attempt.toolProgress();
        }
    }

    /** Every open call is whole: the choice finished. */
    void finishAll(Attempt attempt) throws LlmFailureException {
        finishBefore(Integer.MAX_VALUE, attempt);
    }

    private void finishBefore(int index, Attempt attempt) throws LlmFailureException {
        Map.Entry<Integer, PartialToolCall> first;
        while ((first = open.firstEntry()) != null && first.getKey() < index) {
            open.pollFirstEntry();
            attempt.toolCall(first.getValue().finish(json, provider));
        }
    }
}
