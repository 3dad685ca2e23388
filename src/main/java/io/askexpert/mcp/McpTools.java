package io.askexpert.mcp;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.outbound.OutboundRefused;
import io.askexpert.tools.Tool;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of MCP tools. Admin routes declare a tenant's servers ({@link #declare}); the mission
 * executor asks {@link #forTenant(String, String)} for the tools one expert may use and hands them
 * to the tool registry's checks like any other {@link Tool}. A server that cannot be reached is
 * left out (logged), never failing the others.
 */
public class McpTools {

    private static final Logger log = LoggerFactory.getLogger(McpTools.class);
    static final int MAX_SERVERS = 20;

    private final McpServerStore store;
    private final McpDeclarations declarations;
    private final McpConnections connections;
    private final AskExpertSettings.Mcp settings;

    McpTools(McpServerStore store, McpDeclarations declarations, McpConnections connections, AskExpertSettings.Mcp settings) {
        this.store = store;
        this.declarations = declarations;
        this.connections = connections;
        this.settings = settings;
    }

    /**
     * Creates or replaces the server {@code name} of the tenant; an open session to its previous
     * declaration is closed.
     *
     * @throws AskExpertException {@code VALIDATION_ERROR} naming the field, or {@code FORBIDDEN} when
     *         the operator does not allow stdio servers or that command
     */
    public McpServerDeclaration declare(String tenantId, String name, McpServerRequest request) {
        McpDeclarations.name(name);
        McpServerDeclaration checked = declarations.check(tenantId, name, request);
        if (store.find(tenantId, name).isEmpty() && store.count(tenantId) >= MAX_SERVERS) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "a tenant declares at most " + MAX_SERVERS + " MCP servers",
                    Map.of("field", "name", "max_servers", MAX_SERVERS));
        }
        McpServerDeclaration saved = store.save(checked);
        connections.drop(tenantId, name);
        return saved;
    }

    public Optional<McpServerDeclaration> server(String tenantId, String name) {
        return store.find(tenantId, name);
    }

    public List<McpServerDeclaration> servers(String tenantId) {
        return store.list(tenantId);
    }

    public boolean remove(String tenantId, String name) {
        connections.drop(tenantId, name);
        return store.delete(tenantId, name);
    }

    /** The MCP tools the expert {@code agentId} (its id or slug) may use in the tenant's missions. */
    public List<Tool> forTenant(String tenantId, String agentId) {
        return forTenant(tenantId, List.of(agentId));
    }

    /** As {@link #forTenant(String, String)}, for an expert known by several keys (id and slug). */
    public List<Tool> forTenant(String tenantId, Collection<String> agentKeys) {
        List<Tool> tools = new ArrayList<>();
        for (McpServerDeclaration server : store.list(tenantId)) {
            if (!server.allows(agentKeys)) {
                continue;
            }
            try {
                tools.addAll(toolsOf(server));
            } catch (McpConnections.McpUnavailable | OutboundRefused e) {
                log.warn("MCP server {} of tenant {} left out: {}", server.name(), tenantId, e.getMessage());
            }
        }
        return tools;
    }

    /**
     * Every tool of one declared server (opening a session to list them), for an admin checking a
     * declaration.
     *
     * @throws AskExpertException {@code NOT_FOUND} when the tenant has no such server,
     *         {@code SERVICE_UNAVAILABLE} when it cannot be reached now
     */
    public List<Tool> describe(String tenantId, String name) {
        McpServerDeclaration server = store.find(tenantId, name)
                .orElseThrow(() -> AskExpertException.notFound(ErrorCode.NOT_FOUND, "MCP server", name));
        try {
            return toolsOf(server);
        } catch (McpConnections.McpUnavailable | OutboundRefused e) {
            throw new AskExpertException(ErrorCode.SERVICE_UNAVAILABLE, e.getMessage(), Map.of("server", name));
        }
    }

    private List<Tool> toolsOf(McpServerDeclaration server) {
        return connections.connection(server).tools().stream()
                .<Tool>map(t -> new McpTool(server, t, connections, settings.toolTimeout())).toList();
    }
}
