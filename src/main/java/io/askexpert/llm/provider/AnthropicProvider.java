package io.askexpert.llm.provider;

import io.askexpert.llm.Attempt;
import io.askexpert.llm.LlmFailure;
import io.askexpert.llm.LlmFailureException;
import io.askexpert.llm.LlmProvider;
import io.askexpert.llm.LlmRequest;
import io.askexpert.llm.StopReason;
import io.askexpert.llm.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Anthropic Messages API ({@code POST /v1/messages}), streamed: {@code message_start} carries
 * input and cache usage, {@code content_block_delta} the text ({@code text_delta}) or a tool call's
 * input ({@code input_json_delta}, inside a {@code tool_use} block that {@code content_block_stop}
 * closes), {@code message_delta} the output usage and stop reason, {@code message_stop} the end.
 * The request is {@link AnthropicBody}'s.
 */
public final class AnthropicProvider implements LlmProvider, AutoCloseable {

    static final String API_VERSION = "2023-06-01";

    private final ProviderHttp http;
    private final URI messagesUri;
    private final Map<String, String> headers;

    public AnthropicProvider(String apiKey, URI baseUrl, Duration connectTimeout) {
        this.http = new ProviderHttp(name(), baseUrl, connectTimeout);
        this.messagesUri = ProviderHttp.join(baseUrl, "/v1/messages");
        this.headers = Map.of("x-api-key", apiKey, "anthropic-version", API_VERSION);
    }

    @Override
    public String name() {
        return "anthropic";
    }

    @Override
    public boolean offline() {
        return false;
    }

    @Override
    public StopReason stream(LlmRequest request, String model, Attempt attempt) throws LlmFailureException {
        InputStream body = http.open(http.post(messagesUri, headers, AnthropicBody.of(http.json, request, model, true)),
                attempt);
        Usage usage = Usage.ZERO;
        String stopReason = "end_turn";
        // Blocks arrive one after another, so at most one tool call is open at a time.
        PartialToolCall open = null;
        int openIndex = -1;
        try (SseReader events = new SseReader(body)) {
            SseReader.Event event;
            while ((event = events.next()) != null && !attempt.aborted()) {
                JsonNode node = http.json.readTree(event.data());
                switch (node.path("type").asString(event.name())) {
                    case "message_start" -> usage = merge(usage, node.path("message").path("usage"));
                    case "content_block_start" -> {
                        JsonNode block = node.path("content_block");
                        if ("tool_use".equals(block.path("type").asString(""))) {
                            open = new PartialToolCall(block.path("id").asString(""), block.path("name").asString(""));
                            openIndex = node.path("index").asInt(-1);
                            attempt.toolProgress();
                        }
                    }
                    case "content_block_delta" -> {
                        JsonNode delta = node.path("delta");
                        switch (delta.path("type").asString("")) {
                            case "text_delta" -> attempt.text(delta.path("text").asString(""));
                            case "input_json_delta" -> {
                                if (open != null) {
                                    open.append(delta.path("partial_json").asString(""));
                                    attempt.toolProgress();
                                }
                            }
                            default -> {
                                // thinking and signature deltas carry nothing to relay
                            }
                        }
                    }
                    case "content_block_stop" -> {
                        if (open != null && node.path("index").asInt(-1) == openIndex) {
                            attempt.toolCall(open.finish(http.json, name()));
                            open = null;
                        }
                    }
                    case "message_delta" -> {
                        usage = merge(usage, node.path("usage"));
                        stopReason = node.path("delta").path("stop_reason").asString(stopReason);
                    }
                    case "message_stop" -> {
                        attempt.usage(usage);
                        return StopReason.fromWire(stopReason);
                    }
                    case "error" -> throw new LlmFailureException(streamError(node.path("error")));
                    default -> {
                        // ping: nothing to relay
                    }
                }
                attempt.usage(usage);
            }
        } catch (IOException e) {
            throw http.broken(e);
        } catch (tools.jackson.core.JacksonException e) {
            throw new LlmFailureException(LlmFailure.of(LlmFailure.Kind.STREAM_CUT, name() + ": unreadable event"), e);
        }
        throw http.endedEarly();
    }

    @Override
    public Answer complete(LlmRequest request, String model, Attempt attempt) throws LlmFailureException {
        InputStream body = http.open(http.post(messagesUri, headers, AnthropicBody.of(http.json, request, model, false)),
                attempt);
        try (body) {
            JsonNode node = http.json.readTree(body);
            StringBuilder text = new StringBuilder();
            for (JsonNode block : node.path("content")) {
                switch (block.path("type").asString("")) {
                    case "text" -> text.append(block.path("text").asString(""));
                    case "tool_use" -> attempt.toolCall(PartialToolCall.of(http.json, name(),
                            block.path("id").asString(""), block.path("name").asString(""), block.get("input")));
                    default -> {
                        // thinking blocks are not part of the answer
                    }
                }
            }
            attempt.usage(merge(Usage.ZERO, node.path("usage")));
            return new Answer(text.toString(), StopReason.fromWire(node.path("stop_reason").asString("end_turn")));
        } catch (IOException e) {
            throw http.broken(e);
        } catch (tools.jackson.core.JacksonException e) {
            throw new LlmFailureException(LlmFailure.of(LlmFailure.Kind.STREAM_CUT, name() + ": unreadable answer"), e);
        }
    }

    /** Usage fields present in {@code node} replace earlier values; absent ones are kept. */
    static Usage merge(Usage usage, JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return usage;
        }
        return new Usage(
                node.path("input_tokens").asLong(usage.inputTokens()),
                node.path("output_tokens").asLong(usage.outputTokens()),
                node.path("cache_read_input_tokens").asLong(usage.cacheReadTokens()),
                node.path("cache_creation_input_tokens").asLong(usage.cacheWriteTokens()));
    }

    private LlmFailure streamError(JsonNode error) {
        String type = error.path("type").asString("error");
        LlmFailure.Kind kind = switch (type) {
            case "rate_limit_error" -> LlmFailure.Kind.RATE_LIMITED;
            case "overloaded_error", "api_error" -> LlmFailure.Kind.SERVER_ERROR;
            default -> LlmFailure.Kind.REJECTED;
        };
        return LlmFailure.of(kind, name() + " stream error: " + type);
    }

    @Override
    public void close() {
        http.close();
    }
}
