package io.askexpert.mcp;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.outbound.CheckedTarget;
import io.askexpert.outbound.OutboundHttp;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Open MCP sessions, one per declared server, opened on first use and replaced when the
 * declaration changes (its {@code updated_at}) or the session broke. The operator's rules are
 * applied when a session opens, not only when a server is declared: turning
 * {@code MCP_STDIO_ENABLED} off or narrowing {@code OUTBOUND_ALLOWED_HOSTS} takes effect at once.
 */
final class McpConnections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(McpConnections.class);

    /** One open session with the tools the server listed when it opened. */
    record Connection(McpAsyncClient client, Instant declaredAt, List<McpSchema.Tool> tools) {
    }

    private record Key(String tenantId, String name) {
    }

    private final AskExpertSettings.Mcp settings;
    private final OutboundHttp outbound;
    private final McpJsonMapper json = new JacksonMcpJsonMapper(JsonMapper.builder().build());
    private final Map<Key, Connection> open = new ConcurrentHashMap<>();
    private final Map<Key, Object> locks = new ConcurrentHashMap<>();

    McpConnections(AskExpertSettings.Mcp settings, OutboundHttp outbound) {
        this.settings = settings;
        this.outbound = outbound;
    }

    /** The open session for {@code d}, opening (or re-opening) it when needed. */
    Connection connection(McpServerDeclaration d) {
        Key key = new Key(d.tenantId(), d.name());
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            Connection current = open.get(key);
            if (current != null && current.declaredAt().equals(d.updatedAt()) && current.client().isInitialized()) {
                return current;
            }
            if (current != null) {
                closeQuietly(current);
                open.remove(key);
            }
            Connection fresh = connect(d);
            open.put(key, fresh);
            return fresh;
        }
    }

    /** Forget the session (a call failed on it, or the server was removed); the next use opens a new one. */
    void drop(String tenantId, String name) {
        Connection c = open.remove(new Key(tenantId, name));
        if (c != null) {
            closeQuietly(c);
        }
    }

    private Connection connect(McpServerDeclaration d) {
        McpClientTransport transport = switch (d.transport()) {
            case STDIO -> stdio(d);
            case HTTP -> http(d);
        };
        // Each wait has its own bound (opening and listing: the connect timeout; a call: the tool timeout),
        // so the session's own request timeout is only the longest of them.
        Duration longest = settings.toolTimeout().compareTo(settings.connectTimeout()) > 0
                ? settings.toolTimeout() : settings.connectTimeout();
        McpAsyncClient client = McpClient.async(transport).requestTimeout(longest)
                .initializationTimeout(settings.connectTimeout())
                .clientInfo(new McpSchema.Implementation("ask-expert", "1"))
                .build();
        try {
            client.initialize().block(settings.connectTimeout());
            List<McpSchema.Tool> tools = new ArrayList<>();
            String cursor = null;
            do {
                McpSchema.ListToolsResult page = (cursor == null ? client.listTools() : client.listTools(cursor))
                        .block(settings.connectTimeout());
                if (page == null) {
                    break;
                }
                tools.addAll(page.tools());
                cursor = page.nextCursor();
            } while (cursor != null && tools.size() < 1_000);
            return new Connection(client, d.updatedAt(), List.copyOf(tools));
        } catch (RuntimeException e) {
            client.close();
            throw new McpUnavailable("the MCP server '" + d.name() + "' could not be reached or did not list its tools ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** One tool call, bounded by {@code MCP_TOOL_TIMEOUT} (the registry's deadline is the same). */
    McpSchema.CallToolResult call(McpServerDeclaration d, McpSchema.CallToolRequest request) {
        McpSchema.CallToolResult result = connection(d).client().callTool(request).block(settings.toolTimeout());
        if (result == null) {
            throw new McpUnavailable("the MCP server '" + d.name() + "' answered nothing", null);
        }
        return result;
    }

    private McpClientTransport stdio(McpServerDeclaration d) {
        String command = Objects.requireNonNull(d.command(), "a stdio declaration has a command");
        if (!settings.stdioEnabled()) {
            throw new McpUnavailable("stdio MCP servers are disabled on this service (MCP_STDIO_ENABLED)", null);
        }
        if (!settings.allowedCommands().isEmpty() && !settings.allowedCommands().contains(command)) {
            throw new McpUnavailable("the command of MCP server '" + d.name() + "' is not in MCP_STDIO_COMMANDS", null);
        }
        ServerParameters params = ServerParameters.builder(command).args(d.args()).build();
        StdioClientTransport transport = new CleanEnvironmentStdio(params, json);
        String name = d.name();
        transport.setStdErrorHandler(line -> log.debug("MCP server {} (stderr): {}", name, line));
        return transport;
    }

    private McpClientTransport http(McpServerDeclaration d) {
        URI url = Objects.requireNonNull(d.url(), "an http declaration has a url");
        CheckedTarget target = outbound.policy().check(url); // OutboundRefused: the policy in force now refuses it
        String origin = url.getScheme() + "://" + url.getRawAuthority();
        String endpoint = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        return HttpClientStreamableHttpTransport.builder(origin).endpoint(endpoint)
                .clientBuilder(outbound.clientBuilder(target)).connectTimeout(settings.connectTimeout())
                .jsonMapper(json).openConnectionOnStartup(false).build();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.client().close();
        } catch (RuntimeException e) {
            log.debug("Closing an MCP session failed: {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        open.values().forEach(McpConnections::closeQuietly);
        open.clear();
    }

    /**
     * The SDK's stdio transport with an empty environment to start from: the server gets only the
     * SDK's short list of harmless variables (PATH, HOME…), never the service's database URL, keys
     * or JWT secret.
     */
    private static final class CleanEnvironmentStdio extends StdioClientTransport {
        CleanEnvironmentStdio(ServerParameters params, McpJsonMapper json) {
            super(params, json);
        }

        @Override
        protected ProcessBuilder getProcessBuilder() {
            ProcessBuilder builder = super.getProcessBuilder();
            builder.environment().clear();
            return builder;
        }
    }

    /** A server could not be used now; the message is safe to show. */
    static final class McpUnavailable extends RuntimeException {
        McpUnavailable(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }
}
