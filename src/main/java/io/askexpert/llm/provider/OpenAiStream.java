package io.askexpert.llm.provider;

import io.askexpert.llm.Attempt;
import io.askexpert.llm.LlmFailure;
import io.askexpert.llm.LlmFailureException;
import io.askexpert.llm.StopReason;
import io.askexpert.llm.Usage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * One chat-completions stream being read. Each chunk is decoded with a streaming JSON parser
 * into what the gateway uses (no tree per chunk): {@code delta.content}, {@code delta.tool_calls[]}
 * pieces, {@code finish_reason}, the final {@code usage} and an {@code error}; {@code [DONE]} ends it.
 */
final class OpenAiStream {

    private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

    /** One piece of a tool call as a chunk carries it. */
    private record ToolDelta(int index, String id, String name, String arguments) {
    }

    private final TokenStreamFactory factory;
    private final JsonMapper json;
    private final String provider;
    private final Attempt attempt;
    private String stopReason = "stop";
    private @Nullable ToolCallDeltas calls;

    // The chunk being decoded, reset for each one.
    private final StringBuilder content = new StringBuilder();
    private final List<ToolDelta> toolDeltas = new ArrayList<>(2);
    private @Nullable String finish;
    private boolean error;
    private @Nullable String errorType;
    private boolean hasUsage;
    private long prompt;
    private long completion;
    private long cached;
    private int toolPosition;
    private int toolIndex;
    private String toolId = "";
    private String toolName = "";
    private String toolArguments = "";

    private final JsonFields.Reader functionFields = (p, field) -> {
        switch (field) {
            case "name" -> toolName = p.getValueAsString("");
            case "arguments" -> toolArguments = p.getValueAsString("");
            default -> p.skipChildren();
        }
    };
    private final JsonFields.Reader toolFields = (p, field) -> {
        switch (field) {
            case "index" -> toolIndex = p.getValueAsInt(toolIndex);
            case "id" -> toolId = p.getValueAsString("");
            case "function" -> JsonFields.object(p, functionFields);
            default -> p.skipChildren();
        }
    };
    private final Consumer<JsonParser> toolElement = p -> {
        toolIndex = toolPosition++;
        toolId = toolName = toolArguments = "";
        JsonFields.object(p, toolFields);
        toolDeltas.add(new ToolDelta(toolIndex, toolId, toolName, toolArguments));
    };
    private final JsonFields.Reader deltaFields = (p, field) -> {
        switch (field) {
            case "content" -> {
                if (p.currentToken() == JsonToken.VALUE_STRING) {
                    content.append(p.getString());
                }
            }
            case "tool_calls" -> {
                toolPosition = 0;
                JsonFields.array(p, toolElement);
            }
            default -> p.skipChildren();
        }
    };
    private final JsonFields.Reader choiceFields = (p, field) -> {
        switch (field) {
            case "delta" -> JsonFields.object(p, deltaFields);
            case "finish_reason" -> {
                String value = p.getValueAsString(null);
                finish = value != null ? value : finish;
            }
            default -> p.skipChildren();
        }
    };
    private final Consumer<JsonParser> choiceElement = p -> JsonFields.object(p, choiceFields);
    private final JsonFields.Reader detailsFields = (p, field) -> {
        if (field.equals("cached_tokens")) {
            cached = p.getValueAsLong(0);
        } else {
            p.skipChildren();
        }
    };
    private final JsonFields.Reader usageFields = (p, field) -> {
        switch (field) {
            case "prompt_tokens" -> prompt = p.getValueAsLong(0);
            case "completion_tokens" -> completion = p.getValueAsLong(0);
            case "prompt_tokens_details" -> JsonFields.object(p, detailsFields);
            default -> p.skipChildren();
        }
    };
    private final JsonFields.Reader errorFields = JsonFields.string("type", value -> errorType = value);
    private final JsonFields.Reader chunkFields = (p, field) -> {
        switch (field) {
            case "choices" -> JsonFields.array(p, choiceElement);
            case "usage" -> {
                hasUsage = p.currentToken() == JsonToken.START_OBJECT;
                JsonFields.object(p, usageFields);
            }
            case "error" -> {
                error = p.currentToken() != JsonToken.VALUE_NULL;
                JsonFields.object(p, errorFields);
            }
            default -> p.skipChildren();
        }
    };

    OpenAiStream(JsonMapper json, String provider, Attempt attempt) {
        this.factory = json.tokenStreamFactory();
        this.json = json;
        this.provider = provider;
        this.attempt = attempt;
    }

    /** Handles one chunk; returns the stop reason once {@code [DONE]} arrived, else null. */
    @Nullable StopReason accept(SseReader event) throws LlmFailureException {
        if (event.dataIs(DONE)) {
            if (calls != null) {
                calls.finishAll(attempt);
            }
            return StopReason.fromWire(stopReason);
        }
        decode(event.data(), event.dataOffset(), event.dataLength());
        if (error) {
            throw new LlmFailureException(LlmFailure.of(LlmFailure.Kind.SERVER_ERROR,
                    provider + " stream error: " + (errorType == null ? "error" : errorType)));
        }
        if (!content.isEmpty()) {
            attempt.text(content.toString());
        }
        for (ToolDelta d : toolDeltas) {
            calls = calls != null ? calls : new ToolCallDeltas(json, provider);
            calls.accept(d.index(), d.id(), d.name(), d.arguments(), attempt);
        }
        if (finish != null) {
            stopReason = finish;
            if (calls != null) {
                calls.finishAll(attempt);
            }
        }
        if (hasUsage) {
            // prompt_tokens include the cached ones; they are split out so each is priced once.
            attempt.usage(new Usage(Math.max(0, prompt - cached), completion, cached, 0));
        }
        return null;
    }

    private void decode(byte[] data, int offset, int length) {
        content.setLength(0);
        toolDeltas.clear();
        finish = null;
        error = false;
        errorType = null;
        hasUsage = false;
        prompt = completion = cached = 0;
        try (JsonParser p = factory.createParser(data, offset, length)) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                JsonFields.object(p, chunkFields);
            }
        }
    }
}
