package io.askexpert.llm.provider;

import io.askexpert.llm.LlmMessage;
import io.askexpert.llm.LlmRequest;
import io.askexpert.llm.LlmTool;
import io.askexpert.llm.LlmToolCall;
import io.askexpert.llm.LlmToolChoice;
import io.askexpert.llm.LlmToolResult;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON of a chat-completions request. A tool-calls turn is an assistant message with
 * {@code content} (null when it has no text) and {@code tool_calls[]} whose {@code arguments} are
 * JSON text; each tool result is its own {@code tool} message. The format has no error flag on a
 * tool result, so an error's content is prefixed with {@code Error: }.
 */
final class OpenAiBody {

    static final String ERROR_PREFIX = "Error: ";

    private OpenAiBody() {
    }

    static ObjectNode of(JsonMapper json, LlmRequest request, String model, boolean stream) {
        ObjectNode body = json.createObjectNode();
        body.put("model", model);
        body.put("max_tokens", request.maxTokens());
        body.put("temperature", request.temperature());
        ArrayNode messages = body.putArray("messages");
        String system = request.systemWithSources();
        if (!system.isEmpty()) {
            messages.addObject().put("role", "system").put("content", system);
        }
        for (LlmMessage m : request.messages()) {
            switch (m) {
                case LlmMessage.Text t -> messages.addObject().put("role", t.role().wire()).put("content", t.content());
                case LlmMessage.ToolCalls c -> {
                    ObjectNode message = messages.addObject().put("role", "assistant");
                    if (c.text().isEmpty()) {
                        message.putNull("content");
                    } else {
                        message.put("content", c.text());
                    }
                    ArrayNode calls = message.putArray("tool_calls");
                    for (LlmToolCall call : c.calls()) {
                        calls.addObject().put("id", call.id()).put("type", "function").putObject("function")
                                .put("name", call.name()).put("arguments", json.writeValueAsString(call.input()));
                    }
                }
                case LlmMessage.ToolResults r -> {
                    for (LlmToolResult result : r.results()) {
                        messages.addObject().put("role", "tool").put("tool_call_id", result.toolCallId())
                                .put("content", result.isError() ? ERROR_PREFIX + result.content() : result.content());
                    }
                }
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (LlmTool t : request.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", t.name()).put("description", t.description());
                function.set("parameters", json.valueToTree(t.inputSchema()));
            }
            switch (request.toolChoice()) {
                case LlmToolChoice.Auto a -> { }
                case LlmToolChoice.None n -> body.put("tool_choice", "none");
                case LlmToolChoice.Any a -> body.put("tool_choice", "required");
                case LlmToolChoice.Tool t -> body.putObject("tool_choice").put("type", "function")
                        .putObject("function").put("name", t.name());
            }
        }
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }
}
