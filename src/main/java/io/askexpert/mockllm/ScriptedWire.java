package io.askexpert.mockllm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bytes of a scripted turn ({@link MockReply.Scripted}) in each wire format, as the providers
 * stream tool calls. Anthropic: one {@code content_block_start} of type {@code tool_use} per call,
 * an empty {@code input_json_delta}, then {@code partial_json} fragments, {@code content_block_stop},
 * and {@code stop_reason: tool_use}. OpenAI: {@code delta.tool_calls[]} with the call's index, id
 * and name first and {@code function.arguments} fragments after, then {@code finish_reason:
 * tool_calls}. Every text token and every fragment is one frame, the unit the mock paces and cuts.
 */
final class ScriptedWire {

    /** Characters of a tool input per streamed fragment: small, so every input arrives in pieces. */
    static final int FRAGMENT_CHARS = 6;
    private static final Pattern TOKEN = Pattern.compile("\\s*\\S+\\s*");

    /** A scripted answer ready to send: frames are the streamed tokens and fragments. */
    record Script(String preamble, List<byte[]> frames, String epilogue, String whole) {
    }

    /** One tool call with its wire id and its input as JSON text. */
    private record Call(String id, String name, String input) {
    }

    private ScriptedWire() {
    }

    static Script build(MockWire wire, MockWire.Answer a, long responseId, MockReply.Scripted reply, JsonMapper json) {
        List<String> tokens = tokens(reply.text());
        List<Call> calls = new ArrayList<>();
        for (int j = 0; j < reply.toolCalls().size(); j++) {
            MockReply.ToolCall c = reply.toolCalls().get(j);
            String id = c.id() != null ? c.id() : (wire instanceof MockWire.Anthropic ? "toolu_mock_" : "call_mock_")
                    + responseId + "_" + j;
            calls.add(new Call(id, c.name(), json.writeValueAsString(c.input())));
        }
        return switch (wire) {
            case MockWire.Anthropic w -> anthropic(w, a, tokens, calls);
            case MockWire.OpenAi w -> openAi(w, a, tokens, calls);
        };
    }

    private static Script anthropic(MockWire.Anthropic wire, MockWire.Answer a, List<String> tokens, List<Call> calls) {
        List<byte[]> frames = new ArrayList<>();
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            frames.add(MockWire.bytes((i == 0 ? MockWire.Anthropic.TEXT_BLOCK_START : "") + wire.token(a, i, escape(tokens.get(i)))));
        }
        if (!tokens.isEmpty()) {
            content.append("{\"type\":\"text\",\"text\":\"").append(escape(String.join("", tokens))).append("\"}");
        }
        int block = tokens.isEmpty() ? 0 : 1;
        for (Call call : calls) {
            List<String> fragments = fragments(call.input());
            for (int f = 0; f < fragments.size(); f++) {
                String head = f > 0 ? "" : (block > 0 ? MockWire.Anthropic.blockStop(block - 1) : "")
                        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":" + block
                        + ",\"content_block\":{\"type\":\"tool_use\",\"id\":\"" + escape(call.id()) + "\",\"name\":\""
                        + escape(call.name()) + "\",\"input\":{}}}\n\n" + inputDelta(block, "");
                frames.add(MockWire.bytes(head + inputDelta(block, fragments.get(f))));
            }
            content.append(content.isEmpty() ? "" : ",").append("{\"type\":\"tool_use\",\"id\":\"").append(escape(call.id()))
                    .append("\",\"name\":\"").append(escape(call.name())).append("\",\"input\":").append(call.input())
                    .append('}');
            block++;
        }
        String stop = calls.isEmpty() ? "end_turn" : "tool_use";
        return new Script(MockWire.Anthropic.messageStart(a) + MockWire.Anthropic.PING, frames,
                MockWire.Anthropic.end(a, frames.size(), block - 1, stop),
                MockWire.Anthropic.message(a, content.toString(), frames.size(), stop));
    }

    private static String inputDelta(int block, String partialJson) {
        return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":" + block
                + ",\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"" + escape(partialJson) + "\"}}\n\n";
    }

    private static Script openAi(MockWire.OpenAi wire, MockWire.Answer a, List<String> tokens, List<Call> calls) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            frames.add(MockWire.bytes(wire.token(a, i, escape(tokens.get(i)))));
        }
        StringBuilder toolCalls = new StringBuilder();
        for (int j = 0; j < calls.size(); j++) {
            Call call = calls.get(j);
            List<String> fragments = fragments(call.input());
            for (int f = 0; f < fragments.size(); f++) {
                boolean first = frames.isEmpty();
                String head = f > 0 ? "" : MockWire.OpenAi.chunk(a, "{\"index\":0,\"delta\":{"
                        + (first ? "\"role\":\"assistant\",\"content\":null," : "") + "\"tool_calls\":[{\"index\":" + j
                        + ",\"id\":\"" + escape(call.id()) + "\",\"type\":\"function\",\"function\":{\"name\":\""
                        + escape(call.name()) + "\",\"arguments\":\"\"}}]" + (first ? ",\"refusal\":null" : "")
                        + "},\"logprobs\":null,\"finish_reason\":null}", a.includeUsage());
                frames.add(MockWire.bytes(head + MockWire.OpenAi.chunk(a, "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":"
                        + j + ",\"function\":{\"arguments\":\"" + escape(fragments.get(f)) + "\"}}]},\"logprobs\":null,"
                        + "\"finish_reason\":null}", a.includeUsage())));
            }
            toolCalls.append(j == 0 ? "" : ",").append("{\"id\":\"").append(escape(call.id()))
                    .append("\",\"type\":\"function\",\"function\":{\"name\":\"").append(escape(call.name()))
                    .append("\",\"arguments\":\"").append(escape(call.input())).append("\"}}");
        }
        String finish = calls.isEmpty() ? "stop" : "tool_calls";
        String message = "\"content\":" + (tokens.isEmpty() ? "null" : "\"" + escape(String.join("", tokens)) + "\"")
                + (calls.isEmpty() ? "" : ",\"tool_calls\":[" + toolCalls + "]");
        return new Script("", frames, MockWire.OpenAi.end(a, frames.size(), finish),
                MockWire.OpenAi.completion(a, message, frames.size(), finish));
    }

    /** Word tokens whose concatenation is the text, each with the white space after it. */
    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            tokens.add(m.group());
        }
        if (tokens.isEmpty() && !text.isEmpty()) {
            tokens.add(text);
        }
        return tokens;
    }

    /** The input split every {@link #FRAGMENT_CHARS} code points (never inside a surrogate pair). */
    static List<String> fragments(String input) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < input.length()) {
            int end = input.offsetByCodePoints(i, Math.min(FRAGMENT_CHARS, input.codePointCount(i, input.length())));
            out.add(input.substring(i, end));
            i = end;
        }
        return out;
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        JsonStringEncoder.getInstance().quoteAsString(s, out);
        return out.toString();
    }
}
