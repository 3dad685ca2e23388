package io.askexpert.llm.provider;

import io.askexpert.llm.Attempt;
import io.askexpert.llm.LlmFailureException;
import java.util.Map;
import java.util.TreeMap;
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

    /** One piece: the call at {@code index} starts (with its id and name) or continues (more arguments). */
    void accept(int index, String id, String name, String arguments, Attempt attempt) throws LlmFailureException {
        PartialToolCall call = open.get(index);
        if (call == null) {
            finishBefore(index, attempt);
            call = new PartialToolCall(id, name);
            open.put(index, call);
        } else {
            call.name(name);
        }
        call.append(arguments);
        attempt.toolProgress();
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
