package io.askexpert.llm.provider;

import io.askexpert.llm.Attempt;
import io.askexpert.llm.LlmFailure;
import io.askexpert.llm.LlmFailureException;
import io.askexpert.llm.LlmMessage;
import io.askexpert.llm.LlmProvider;
import io.askexpert.llm.LlmRequest;
import io.askexpert.llm.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Anthropic Messages API ({@code POST /v1/messages}), streamed: {@code message_start} carries
 * input and cache usage, {@code content_block_delta} the text, {@code message_delta} the output
 * usage and stop reason, {@code message_stop} the end. The system prompt is marked cacheable.
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
    public String stream(LlmRequest request, String model, Attempt attempt) throws LlmFailureException {
        InputStream body = http.open(http.post(messagesUri, headers, body(request, model, true)), attempt);
        Usage usage = Usage.ZERO;
        String stopReason = "end_turn";
        try (SseReader events = new SseReader(body)) {
            SseReader.Event event;
            while ((event = events.next()) != null && !attempt.aborted()) {
                JsonNode node = http.json.readTree(event.data());
                switch (node.path("type").asString(event.name())) {
                    case "message_start" -> usage = merge(usage, node.path("message").path("usage"));
                    case "content_block_delta" -> {
                        JsonNode delta = node.path("delta");
                        if ("text_delta".equals(delta.path("type").asString(""))) {
                            attempt.text(delta.path("text").asString(""));
                        }
                    }
                    case "message_delta" -> {
                        usage = merge(usage, node.path("usage"));
                        stopReason = node.path("delta").path("stop_reason").asString(stopReason);
                    }
                    case "message_stop" -> {
                        attempt.usage(usage);
                        return stopReason;
                    }
                    case "error" -> throw new LlmFailureException(streamError(node.path("error")));
                    default -> {
                        // ping, content_block_start/stop: nothing to relay
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
        InputStream body = http.open(http.post(messagesUri, headers, body(request, model, false)), attempt);
        try (body) {
            JsonNode node = http.json.readTree(body);
            StringBuilder text = new StringBuilder();
            for (JsonNode block : node.path("content")) {
                if ("text".equals(block.path("type").asString(""))) {
                    text.append(block.path("text").asString(""));
                }
            }
            attempt.usage(merge(Usage.ZERO, node.path("usage")));
            return new Answer(text.toString(), node.path("stop_reason").asString("end_turn"));
        } catch (IOException e) {
            throw http.broken(e);
        } catch (tools.jackson.core.JacksonException e) {
            throw new LlmFailureException(LlmFailure.of(LlmFailure.Kind.STREAM_CUT, name() + ": unreadable answer"), e);
        }
    }

    private ObjectNode body(LlmRequest request, String model, boolean stream) {
        ObjectNode body = http.json.createObjectNode();
        body.put("model", model);
        body.put("max_tokens", request.maxTokens());
        body.put("temperature", request.temperature());
        String system = request.systemWithSources();
        if (!system.isEmpty()) {
            ObjectNode block = body.putArray("system").addObject();
            block.put("type", "text");
            block.put("text", system);
            // Prompts shorter than the provider's cache minimum ignore this; longer ones are billed at cache rates.
            block.putObject("cache_control").put("type", "ephemeral");
        }
        ArrayNode messages = body.putArray("messages");
        for (LlmMessage m : request.messages()) {
            messages.addObject().put("role", m.role().wire()).put("content", m.content());
        }
        if (stream) {
            body.put("stream", true);
        }
        return body;
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
