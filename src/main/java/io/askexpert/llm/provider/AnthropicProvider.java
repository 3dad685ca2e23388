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
 * The request is {@link AnthropicBody}'s; the stream is read by {@link AnthropicStream}.
 */
public final class AnthropicProvider implements LlmProvider, AutoCloseable {

    static final String API_VERSION = "2023-06-01";

    private final ProviderHttp http;
    private final URI messagesUri;
    private final Map<String, String> headers;

    public AnthropicProvider(String apiKey, URI baseUrl, Duration connectTimeout, String httpClient) {
        this.http = new ProviderHttp(name(), baseUrl, connectTimeout, httpClient);
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
        AnthropicStream stream = new AnthropicStream(http.json, name(), attempt);
        try (SseReader events = new SseReader(body)) {
            while (events.next() && !attempt.aborted()) {
                StopReason end = stream.accept(events);
                if (end != null) {
                    return end;
                }
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

    @Override
    public void close() {
        http.close();
    }
}
