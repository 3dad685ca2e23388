package io.askexpert.mcp;

import io.askexpert.tools.Tool;
import io.askexpert.tools.ToolInvocation;
import io.askexpert.tools.ToolOutput;
import io.askexpert.tools.ToolSpec;
import io.modelcontextprotocol.spec.McpSchema;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One tool of one MCP server as the executor sees it: {@code mcp__<server>__<tool>}, the server's
 * input schema, the MCP timeout, and whether it changes something. A call carries the invocation's
 * idempotency key in the request's {@code _meta} ({@value #IDEMPOTENCY_META}) so a server can
 * recognise a call repeated after a crash.
 */
final class McpTool implements Tool {

    static final String IDEMPOTENCY_META = "io.askexpert/idempotency_key";
    static final String CALL_META = "io.askexpert/call_id";
    private static final int MAX_NAME = 64;

    private final McpServerDeclaration server;
    private final McpSchema.Tool tool;
    private final McpConnections connections;
    private final ToolSpec spec;

    McpTool(McpServerDeclaration server, McpSchema.Tool tool, McpConnections connections, Duration timeout) {
        this.server = server;
        this.tool = tool;
        this.connections = connections;
        boolean sideEffects = sideEffects(tool.annotations(), server.toolsSideEffects().get(tool.name()));
        String description = "[MCP " + server.name() + "] " + (tool.description() != null ? tool.description()
                : tool.title() != null ? tool.title() : tool.name());
        // A read-only tool is not "external" for the human-in-the-loop rules: it changes nothing outside,
        // so FF_HITL_STRICT asks a human only for the tools that do.
        this.spec = new ToolSpec(exposedName(server.name(), tool.name()), description, schema(tool.inputSchema()), timeout,
                BigDecimal.ZERO, sideEffects, sideEffects);
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    @Override
    public ToolOutput run(ToolInvocation invocation) {
        McpSchema.CallToolRequest request = new McpSchema.CallToolRequest(tool.name(), new LinkedHashMap<>(invocation.input()),
                Map.of(IDEMPOTENCY_META, invocation.idempotencyKey(), CALL_META, invocation.callId()));
        McpSchema.CallToolResult result;
        try {
            result = connections.call(server, request);
        } catch (McpConnections.McpUnavailable e) {
            throw e;
        } catch (RuntimeException e) {
            // The session may be broken (the process died, the server restarted): the next call opens a new one.
            connections.drop(server.tenantId(), server.name());
            throw new McpConnections.McpUnavailable("the call to MCP tool " + spec.name() + " failed ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        String text = text(result.content());
        if (Boolean.TRUE.equals(result.isError())) {
            throw new McpToolError(spec.name() + " reported an error: " + abbreviate(text, 500));
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("content", text);
        if (result.structuredContent() != null) {
            value.put("structured_content", result.structuredContent());
        }
        return ToolOutput.of(value);
    }

    /**
     * The side-effect flag: the server's annotations when they say ({@code readOnlyHint: true} → none;
     * {@code readOnlyHint: false} or {@code destructiveHint: true} → yes), else the admin's declaration,
     * else yes. An admin's {@code true} always wins: a tenant may be stricter than the server.
     */
    static boolean sideEffects(McpSchema.@Nullable ToolAnnotations annotations, @Nullable Boolean declared) {
        if (Boolean.TRUE.equals(declared)) {
            return true;
        }
        if (annotations != null) {
            if (Boolean.TRUE.equals(annotations.readOnlyHint())) {
                return false;
            }
            if (Boolean.FALSE.equals(annotations.readOnlyHint()) || Boolean.TRUE.equals(annotations.destructiveHint())) {
                return true;
            }
        }
        return declared == null || declared;
    }

    /** {@code mcp__<server>__<tool>} within the providers' {@code [A-Za-z0-9_-]{1,64}}; long names end in a hash. */
    static String exposedName(String server, String tool) {
        String safe = tool.replaceAll("[^A-Za-z0-9_-]", "_");
        String name = "mcp__" + server + "__" + safe;
        if (name.length() <= MAX_NAME && safe.equals(tool)) {
            return name;
        }
        String hash = HexFormat.of().formatHex(sha256()
                .digest(tool.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 8);
        String prefix = name.length() > MAX_NAME - 9 ? name.substring(0, MAX_NAME - 9) : name;
        return prefix + "_" + hash;
    }

    private static java.security.MessageDigest sha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static Map<String, @Nullable Object> schema(@Nullable Map<String, Object> input) {
        Map<String, @Nullable Object> schema = new LinkedHashMap<>();
        if (input != null) {
            input.forEach((k, v) -> {
                if (v != null) {
                    schema.put(k, v);
                }
            });
        }
        schema.putIfAbsent("type", "object");
        schema.putIfAbsent("properties", Map.of());
        return schema;
    }

    private static String text(@Nullable List<McpSchema.Content> content) {
        if (content == null) {
            return "";
        }
        return content.stream().map(c -> c instanceof McpSchema.TextContent t ? t.text()
                : "[" + c.type() + " content omitted]").collect(Collectors.joining("\n"));
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    /** The server ran the tool and said it failed; the message is the server's own text. */
    static final class McpToolError extends RuntimeException {
        McpToolError(String message) {
            super(message, null, false, false);
        }
    }
}
