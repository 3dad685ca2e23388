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
 * OpenAI-compatible chat completions ({@code POST {base}/chat/completions}), streamed with
 * {@code stream_options.include_usage} so the last chunk before {@code [DONE]} carries usage; tool
 * calls arrive as {@code delta.tool_calls[]} fragments ({@link ToolCallDeltas}). The request is
 * {@link OpenAiBody}'s; the stream is read by {@link OpenAiStream}.
 * Works against OpenAI and local servers (Ollama, vLLM, llama.cpp); an empty key sends no
 * Authorization header.
 */
public final class OpenAiProvider implements LlmProvider, AutoCloseable {

    private final ProviderHttp http;
    private final URI completionsUri;
    private final Map<String, String> headers;

    public OpenAiProvider(String apiKey, URI baseUrl, Duration connectTimeout, String httpClient) {
        this.http = new ProviderHttp(name(), baseUrl, connectTimeout, httpClient);
        this.completionsUri = ProviderHttp.join(baseUrl, "/chat/completions");
        this.headers = apiKey.isEmpty() ? Map.of() : Map.of("authorization", "Bearer " + apiKey);
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public boolean offline() {
        return false;
    }

    @Override
    public StopReason stream(LlmRequest request, String model, Attempt attempt) throws LlmFailureException {
        InputStream body = http.open(http.post(completionsUri, headers, OpenAiBody.of(http.json, request, model, true)),
                attempt);
        OpenAiStream stream = new OpenAiStream(http.json, name(), attempt);
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
            throw new LlmFailureException(LlmFailure.of(LlmFailure.Kind.STREAM_CUT, name() + ": unreadable chunk"), e);
        }
        throw http.endedEarly();
    }

    @Override
    public Answer complete(LlmRequest request, String model, Attempt attempt) throws LlmFailureException {
        InputStream body = http.open(http.post(completionsUri, headers, OpenAiBody.of(http.json, request, model, false)),
                attempt);
        try (body) {
            JsonNode node = http.json.readTree(body);
            JsonNode choice = node.path("choices").path(0);
            JsonNode message = choice.path("message");
            for (JsonNode call : message.path("tool_calls")) {
                JsonNode function = call.path("function");
                attempt.toolCall(PartialToolCall.parse(http.json, name(), call.path("id").asString(""),
                        function.path("name").asString(""), function.path("arguments").asString("")));
            }
            if (node.path("usage").isObject()) {
                attempt.usage(usage(node.path("usage")));
            }
            return new Answer(message.path("content").asString(""),
                    StopReason.fromWire(choice.path("finish_reason").asString("stop")));
        } catch (IOException e) {
            throw http.broken(e);
        } catch (tools.jackson.core.JacksonException e) {
            throw new LlmFailureException(LlmFailure.of(LlmFailure.Kind.STREAM_CUT, name() + ": unreadable answer"), e);
        }
    }

    /** {@code prompt_tokens} include the cached ones; they are split out so each is priced once. */
    static Usage usage(JsonNode usage) {
        long prompt = usage.path("prompt_tokens").asLong(0);
        long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        return new Usage(Math.max(0, prompt - cached), usage.path("completion_tokens").asLong(0), cached, 0);
    }

    @Override
    public void close() {
        http.close();
    }
}
