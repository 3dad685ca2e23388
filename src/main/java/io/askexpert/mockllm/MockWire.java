package io.askexpert.mockllm;

import java.nio.charset.StandardCharsets;

/**
 * The bytes of each provider's wire format, exactly as the providers send them: Anthropic's
 * named SSE events ({@code message_start} … {@code message_stop}) and OpenAI's unnamed
 * {@code data:} chunks ending with the usage chunk and {@code data: [DONE]}.
 */
sealed interface MockWire {

    /** What one answer reports; OpenAI counts cached tokens inside its prompt tokens. */
    record Answer(String id, String model, long inputTokens, long cacheRead, long cacheWrite, boolean includeUsage,
                  long created) {
    }

    /** Sent with the response headers, before the first token. */
    String preamble(Answer a);

    /** Token {@code index} (0-based). */
    String token(Answer a, int index, String text);

    String epilogue(Answer a, int tokens, boolean truncated);

    /** The whole answer as one JSON document (non-streamed request). */
    String whole(Answer a, String text, int tokens, boolean truncated);

    /** The JSON error body for an HTTP error status. */
    String error(int status);

    static String word(String[] words, int index) {
        String w = words[index % words.length];
        return index == 0 ? w : " " + w;
    }

    String[] WORDS = {"Regulatory", "guidance", "expects", "a", "complete", "CMC", "section", "with", "batch",
            "analyses,", "stability", "data", "and", "specifications", "for", "the", "drug", "substance", "[1].",
            "Sponsors", "should", "describe", "manufacturing", "controls", "in", "proportion", "to", "the", "phase."};

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Anthropic Messages streaming. */
    record Anthropic() implements MockWire {
        static final String PING = "event: ping\ndata: {\"type\": \"ping\"}\n\n";
        static final String TEXT_BLOCK_START = "event: content_block_start\ndata: {\"type\":\"content_block_start\","
                + "\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";

        @Override
        public String preamble(Answer a) {
            return messageStart(a) + TEXT_BLOCK_START + PING;
        }

        static String messageStart(Answer a) {
            return "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"" + a.id()
                    + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + a.model()
                    + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":"
                    + a.inputTokens() + ",\"cache_creation_input_tokens\":" + a.cacheWrite()
                    + ",\"cache_read_input_tokens\":" + a.cacheRead() + ",\"output_tokens\":1}}}\n\n";
        }

        @Override
        public String token(Answer a, int index, String text) {
            return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}\n\n";
        }

        @Override
        public String epilogue(Answer a, int tokens, boolean truncated) {
            return end(a, tokens, 0, truncated ? "max_tokens" : "end_turn");
        }

        static String blockStop(int index) {
            return "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":" + index + "}\n\n";
        }

        static String end(Answer a, int tokens, int lastBlock, String stopReason) {
            return blockStop(lastBlock)
                    + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\""
                    + stopReason + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + tokens + "}}\n\n"
                    + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        }

        @Override
        public String whole(Answer a, String text, int tokens, boolean truncated) {
            return message(a, "{\"type\":\"text\",\"text\":\"" + text + "\"}", tokens, truncated ? "max_tokens" : "end_turn");
        }

        /** A whole message; {@code content} is its blocks, already JSON. */
        static String message(Answer a, String content, int tokens, String stopReason) {
            return "{\"id\":\"" + a.id() + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + a.model()
                    + "\",\"content\":[" + content + "],\"stop_reason\":\"" + stopReason
                    + "\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":"
                    + a.inputTokens() + ",\"cache_creation_input_tokens\":" + a.cacheWrite()
                    + ",\"cache_read_input_tokens\":" + a.cacheRead() + ",\"output_tokens\":" + tokens + "}}";
        }

        @Override
        public String error(int status) {
            String type = switch (status) {
                case 429 -> "rate_limit_error";
                case 529 -> "overloaded_error";
                case 401 -> "authentication_error";
                case 404 -> "not_found_error";
                default -> status >= 500 ? "api_error" : "invalid_request_error";
            };
            return "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"mock " + type + "\"}}";
        }
    }

    /** OpenAI chat completions streaming. */
    record OpenAi() implements MockWire {
        @Override
        public String preamble(Answer a) {
            return "";
        }

        static String chunk(Answer a, String choices, boolean usageNull) {
            return "data: {\"id\":\"" + a.id() + "\",\"object\":\"chat.completion.chunk\",\"created\":" + a.created()
                    + ",\"model\":\"" + a.model() + "\",\"system_fingerprint\":\"fp_mock\",\"choices\":[" + choices + "]"
                    + (usageNull ? ",\"usage\":null" : "") + "}\n\n";
        }

        @Override
        public String token(Answer a, int index, String text) {
            String content = chunk(a, "{\"index\":0,\"delta\":{\"content\":\"" + text
                    + "\"},\"logprobs\":null,\"finish_reason\":null}", a.includeUsage());
            return index > 0 ? content : chunk(a, "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\","
                    + "\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}", a.includeUsage()) + content;
        }

        @Override
        public String epilogue(Answer a, int tokens, boolean truncated) {
            return end(a, tokens, truncated ? "length" : "stop");
        }

        static String end(Answer a, int tokens, String finishReason) {
            String finish = chunk(a, "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\""
                    + finishReason + "\"}", a.includeUsage());
            String usage = a.includeUsage() ? "data: {\"id\":\"" + a.id() + "\",\"object\":\"chat.completion.chunk\","
                    + "\"created\":" + a.created() + ",\"model\":\"" + a.model()
                    + "\",\"system_fingerprint\":\"fp_mock\",\"choices\":[],\"usage\":" + usage(a, tokens) + "}\n\n" : "";
            return finish + usage + "data: [DONE]\n\n";
        }

        private static String usage(Answer a, int tokens) {
            long prompt = a.inputTokens() + a.cacheRead();
            return "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + tokens + ",\"total_tokens\":"
                    + (prompt + tokens) + ",\"prompt_tokens_details\":{\"cached_tokens\":" + a.cacheRead()
                    + ",\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                    + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}";
        }

        @Override
        public String whole(Answer a, String text, int tokens, boolean truncated) {
            return completion(a, "\"content\":\"" + text + "\"", tokens, truncated ? "length" : "stop");
        }

        /** A whole completion; {@code message} is the message's fields after its role, already JSON. */
        static String completion(Answer a, String message, int tokens, String finishReason) {
            return "{\"id\":\"" + a.id() + "\",\"object\":\"chat.completion\",\"created\":" + a.created()
                    + ",\"model\":\"" + a.model() + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                    + message + ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\""
                    + finishReason + "\"}],\"usage\":" + usage(a, tokens)
                    + ",\"system_fingerprint\":\"fp_mock\"}";
        }

        @Override
        public String error(int status) {
            String type = status == 429 ? "requests" : status >= 500 ? "server_error" : "invalid_request_error";
            String code = status == 429 ? "\"rate_limit_exceeded\"" : "null";
            return "{\"error\":{\"message\":\"mock " + type + "\",\"type\":\"" + type + "\",\"param\":null,\"code\":"
                    + code + "}}";
        }
    }
}
