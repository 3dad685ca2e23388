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

    /** The parts of an LLM request the mock's answer depends on. */
    record Generation(String model, boolean stream, boolean includeUsage, long maxTokens, long inputTokens) {
    }

    Generation generation(JsonMapper json, long defaultMaxTokens) {
        JsonNode node = json.readTree(new String(body, StandardCharsets.UTF_8));
        long chars = textLength(node.path("system"));
        for (JsonNode m : node.path("messages")) {
            chars += textLength(m.path("content"));
        }
        long maxTokens = node.path("max_tokens").asLong(node.path("max_completion_tokens").asLong(defaultMaxTokens));
        return new Generation(node.path("model").asString("mock"), node.path("stream").asBoolean(false),
                node.path("stream_options").path("include_usage").asBoolean(false), Math.max(1, maxTokens),
                Math.max(1, (chars + 3) / 4));
    }

    /** Characters of a content field: a string, or an array of blocks with {@code text}. */
    private static long textLength(JsonNode content) {
        if (content.isString()) {
            return content.asString("").length();
        }
        long n = 0;
        for (JsonNode block : content) {
            n += block.path("text").asString("").length();
        }
        return n;
    }
}
