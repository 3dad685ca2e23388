package io.askexpert.llm.provider;

import io.askexpert.llm.LlmMessage;
import io.askexpert.llm.LlmRequest;
import io.askexpert.llm.LlmTool;
import io.askexpert.llm.LlmToolCall;
import io.askexpert.llm.LlmToolChoice;
import io.askexpert.llm.LlmToolResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON of an Anthropic Messages request. Text turns are plain {@code content} strings (the
 * bytes modes 1 and 2 have always sent); a tool-calls turn is an assistant message of a
 * {@code text} block and {@code tool_use} blocks; tool results are {@code tool_result} blocks in
 * a user message. Consecutive turns of one role become one message of blocks, as the API expects
 * tool results and a following user text to share a turn.
 */
final class AnthropicBody {

    private AnthropicBody() {
    }

    static ObjectNode of(JsonMapper json, LlmRequest request, String model, boolean stream) {
        ObjectNode body = json.createObjectNode();
        body.put("model", model);
        body.put("max_tokens", request.maxTokens());
        body.put("temperature", request.temperature());
        String system = request.systemWithSources();
        if (!system.isEmpty()) {
            ObjectNode block = body.putArray("system").addObject();
            block.put("type", "text");
            block.put("text", system);
            // Prompts shorter than the provider's cache minimum ignore this; longer ones are billed at cache rates.
            // Tools come before the system prompt in the cached prefix, so they are cached with it.
            block.putObject("cache_control").put("type", "ephemeral");
        }
        ArrayNode messages = body.putArray("messages");
        ObjectNode last = null;
        for (LlmMessage m : request.messages()) {
            if (last != null && last.path("role").asString("").equals(m.role().wire())) {
                appendBlocks(json, last, m);
            } else {
                last = messages.addObject();
                last.put("role", m.role().wire());
                switch (m) {
                    case LlmMessage.Text t -> last.put("content", t.content());
                    case LlmMessage.ToolCalls c -> appendBlocks(json, last, c);
                    case LlmMessage.ToolResults r -> appendBlocks(json, last, r);
                }
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (LlmTool t : request.tools()) {
                ObjectNode tool = tools.addObject();
                tool.put("name", t.name());
                tool.put("description", t.description());
                tool.set("input_schema", json.valueToTree(t.inputSchema()));
            }
            toolChoice(body, request.toolChoice());
        }
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    private static void toolChoice(ObjectNode body, LlmToolChoice choice) {
        switch (choice) {
            case LlmToolChoice.Auto a -> { }
            case LlmToolChoice.None n -> body.putObject("tool_choice").put("type", "none");
            case LlmToolChoice.Any a -> body.putObject("tool_choice").put("type", "any");
            case LlmToolChoice.Tool t -> body.putObject("tool_choice").put("type", "tool").put("name", t.name());
        }
    }

    /** Adds {@code m}'s blocks to {@code message}, turning a plain string content into a text block first. */
    private static void appendBlocks(JsonMapper json, ObjectNode message, LlmMessage m) {
        JsonNode existing = message.path("content");
        ArrayNode blocks;
        if (existing.isArray()) {
            blocks = (ArrayNode) existing;
        } else {
            blocks = json.createArrayNode();
            if (existing.isString()) {
                blocks.addObject().put("type", "text").put("text", existing.asString(""));
            }
            message.set("content", blocks);
        }
        switch (m) {
            case LlmMessage.Text t -> blocks.addObject().put("type", "text").put("text", t.content());
            case LlmMessage.ToolCalls c -> {
                if (!c.text().isEmpty()) {
                    blocks.addObject().put("type", "text").put("text", c.text());
                }
                for (LlmToolCall call : c.calls()) {
                    ObjectNode use = blocks.addObject();
                    use.put("type", "tool_use").put("id", call.id()).put("name", call.name());
                    use.set("input", json.valueToTree(call.input()));
                }
            }
            case LlmMessage.ToolResults r -> {
                for (LlmToolResult result : r.results()) {
                    ObjectNode block = blocks.addObject();
                    block.put("type", "tool_result").put("tool_use_id", result.toolCallId()).put("content", result.content());
                    if (result.isError()) {
                        block.put("is_error", true);
                    }
                }
            }
        }
    }
}
