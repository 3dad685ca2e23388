package io.askexpert.llm.provider;

import io.askexpert.llm.Attempt;
import io.askexpert.llm.LlmFailure;
import io.askexpert.llm.LlmFailureException;
import io.askexpert.llm.StopReason;
import io.askexpert.llm.Usage;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Anthropic stream being read. Each event is decoded with a streaming JSON parser into the
 * few fields the gateway uses (no tree per event): {@code message_start} and {@code message_delta}
 * usage, {@code text_delta} text, a {@code tool_use} block's id, name and {@code partial_json}
 * fragments, the stop reason and an {@code error}'s type.
 */
final class AnthropicStream {

    private final TokenStreamFactory factory;
    private final JsonMapper json;
    private final String provider;
    private final Attempt attempt;
    private Usage usage = Usage.ZERO;
    private String stopReason = "end_turn";
    /** Blocks arrive one after another, so at most one tool call is open at a time. */
    private @Nullable PartialToolCall open;
    private int openIndex = -1;

    // The event being decoded, reset for each one.
    private @Nullable String type;
    private int index;
    private @Nullable String deltaType;
    private @Nullable String deltaText;
    private @Nullable String deltaStopReason;
    private @Nullable String blockType;
    private @Nullable String blockId;
    private @Nullable String blockName;
    private @Nullable String errorType;
    private boolean hasUsage;
    private long input;
    private long output;
    private long cacheRead;
    private long cacheWrite;
    private final JsonFields.Reader deltaFields = this::delta;
    private final JsonFields.Reader usageFields = this::usage;
    private final JsonFields.Reader blockFields = this::block;
    private final JsonFields.Reader messageFields = (p, field) -> {
        if (field.equals("usage")) {
            JsonFields.object(p, usageFields);
        } else {
            p.skipChildren();
        }
    };
    private final JsonFields.Reader errorFields = JsonFields.string("type", value -> errorType = value);

    AnthropicStream(JsonMapper json, String provider, Attempt attempt) {
        this.factory = json.tokenStreamFactory();
        this.json = json;
        this.provider = provider;
        this.attempt = attempt;
    }

    /** Handles one event; returns the stop reason once {@code message_stop} arrived, else null. */
    @Nullable StopReason accept(SseReader event) throws LlmFailureException {
        decode(event.data(), event.dataOffset(), event.dataLength());
        switch (type != null ? type : event.name()) {
            case "message_start", "message_delta" -> {
                if (hasUsage) {
                    usage = new Usage(input >= 0 ? input : usage.inputTokens(), output >= 0 ? output : usage.outputTokens(),
                            cacheRead >= 0 ? cacheRead : usage.cacheReadTokens(),
                            cacheWrite >= 0 ? cacheWrite : usage.cacheWriteTokens());
                    attempt.usage(usage);
                }
                if (deltaStopReason != null) {
                    stopReason = deltaStopReason;
                }
            }
            case "content_block_start" -> {
                if ("tool_use".equals(blockType)) {
                    open = new PartialToolCall(blockId == null ? "" : blockId, blockName == null ? "" : blockName);
                    openIndex = index;
                    attempt.toolProgress();
                }
            }
            case "content_block_delta" -> {
                if ("text_delta".equals(deltaType) && deltaText != null) {
                    attempt.text(deltaText);
                } else if ("input_json_delta".equals(deltaType) && open != null && deltaText != null) {
                    open.append(deltaText);
                    attempt.toolProgress();
                }
                // thinking and signature deltas carry nothing to relay
            }
            case "content_block_stop" -> {
                if (open != null && index == openIndex) {
                    attempt.toolCall(open.finish(json, provider));
                    open = null;
                }
            }
            case "message_stop" -> {
                return StopReason.fromWire(stopReason);
            }
            case "error" -> throw new LlmFailureException(streamError(errorType == null ? "error" : errorType));
            default -> {
                // ping: nothing to relay
            }
        }
        return null;
    }

    private LlmFailure streamError(String kind) {
        LlmFailure.Kind failure = switch (kind) {
            case "rate_limit_error" -> LlmFailure.Kind.RATE_LIMITED;
            case "overloaded_error", "api_error" -> LlmFailure.Kind.SERVER_ERROR;
            default -> LlmFailure.Kind.REJECTED;
        };
        return LlmFailure.of(failure, provider + " stream error: " + kind);
    }

    private void decode(byte[] data, int offset, int length) {
        type = deltaType = deltaText = deltaStopReason = blockType = blockId = blockName = errorType = null;
        index = -1;
        hasUsage = false;
        input = output = cacheRead = cacheWrite = -1;
        try (JsonParser p = factory.createParser(data, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            String field;
            while ((field = p.nextName()) != null) {
                p.nextToken();
                switch (field) {
                    case "type" -> type = p.getValueAsString(null);
                    case "index" -> index = p.getValueAsInt(-1);
                    case "delta" -> JsonFields.object(p, deltaFields);
                    case "usage" -> JsonFields.object(p, usageFields);
                    case "message" -> JsonFields.object(p, messageFields);
                    case "content_block" -> JsonFields.object(p, blockFields);
                    case "error" -> JsonFields.object(p, errorFields);
                    default -> p.skipChildren();
                }
            }
        }
    }

    private void delta(JsonParser p, String field) {
        switch (field) {
            case "type" -> deltaType = p.getValueAsString(null);
            case "text", "partial_json" -> deltaText = p.getValueAsString(null);
            case "stop_reason" -> deltaStopReason = p.getValueAsString(null);
            default -> p.skipChildren();
        }
    }

    private void usage(JsonParser p, String field) {
        hasUsage = true;
        switch (field) {
            case "input_tokens" -> input = p.getValueAsLong(-1);
            case "output_tokens" -> output = p.getValueAsLong(-1);
            case "cache_read_input_tokens" -> cacheRead = p.getValueAsLong(-1);
            case "cache_creation_input_tokens" -> cacheWrite = p.getValueAsLong(-1);
            default -> p.skipChildren();
        }
    }

    private void block(JsonParser p, String field) {
        switch (field) {
            case "type" -> blockType = p.getValueAsString(null);
            case "id" -> blockId = p.getValueAsString(null);
            case "name" -> blockName = p.getValueAsString(null);
            default -> p.skipChildren();
        }
    }
}
