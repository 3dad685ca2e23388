package io.askexpert.mockllm;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One HTTP request as the mock reads it: method, path, lower-case headers and the body. */
record MockRequest(String method, String path, Map<String, String> headers, byte[] body) {

    String header(String name) {
        return headers.getOrDefault(name, "");
    }

    /**
     * The parts of an LLM request the mock's answer depends on.
     *
     * @param body        the request body as text, for {@code body_contains}
     * @param lastMessage what the last message is; OpenAI's trailing {@code tool} messages count as one
     * @param lastText    its text blocks and tool-result contents, joined by newlines
     */
    record Generation(String model, boolean stream, boolean includeUsage, long maxTokens, long inputTokens,
                      String body, MockScenario.LastMessage lastMessage, String lastText) {
    }

    Generation generation(JsonMapper json, long defaultMaxTokens) {
        String text = new String(body, StandardCharsets.UTF_8);
        JsonNode node = json.readTree(text);
        long chars = textLength(node.path("system"));
        JsonNode messages = node.path("messages");
        for (JsonNode m : messages) {
            chars += textLength(m.path("content"));
        }
        long maxTokens = node.path("max_tokens").asLong(node.path("max_completion_tokens").asLong(defaultMaxTokens));
        StringBuilder last = new StringBuilder();
        MockScenario.LastMessage kind = lastMessage(messages, last);
        return new Generation(node.path("model").asString("mock"), node.path("stream").asBoolean(false),
                node.path("stream_options").path("include_usage").asBoolean(false), Math.max(1, maxTokens),
                Math.max(1, (chars + 3) / 4), text, kind, last.toString());
    }

    /** Characters of a content field: a string, or an array of blocks with {@code text} or tool-result {@code content}. */
    private static long textLength(JsonNode content) {
        if (content.isString()) {
            return content.asString("").length();
        }
        long n = 0;
        for (JsonNode block : content) {
            n += block.path("text").asString("").length() + textLength(block.path("content"));
        }
        return n;
    }

    /** Appends the last message's text to {@code out} and says whether it carries tool results. */
    private static MockScenario.LastMessage lastMessage(JsonNode messages, StringBuilder out) {
        int end = messages.size() - 1;
        if (end < 0) {
            return MockScenario.LastMessage.TEXT;
        }
        int first = end;
        while (first > 0 && "tool".equals(messages.get(first).path("role").asString(""))
                && "tool".equals(messages.get(first - 1).path("role").asString(""))) {
            first--;
        }
        boolean toolResult = "tool".equals(messages.get(end).path("role").asString(""));
        for (int i = first; i <= end; i++) {
            toolResult |= appendText(messages.get(i).path("content"), out);
        }
        return toolResult ? MockScenario.LastMessage.TOOL_RESULT : MockScenario.LastMessage.TEXT;
    }

    /** Appends a content field's text; true when it holds an Anthropic {@code tool_result} block. */
    private static boolean appendText(JsonNode content, StringBuilder out) {
        if (content.isString()) {
            out.append(out.isEmpty() ? "" : "\n").append(content.asString(""));
            return false;
        }
        boolean toolResult = false;
        for (JsonNode block : content) {
            if ("tool_result".equals(block.path("type").asString(""))) {
                toolResult = true;
                appendText(block.path("content"), out);
            } else if (block.has("text")) {
                out.append(out.isEmpty() ? "" : "\n").append(block.path("text").asString(""));
            }
        }
        return toolResult;
    }
}
