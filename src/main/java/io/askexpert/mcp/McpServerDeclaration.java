package io.askexpert.mcp;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One MCP server of a tenant as its admin declared it.
 *
 * @param allowedAgents     expert ids or slugs whose missions may use the server's tools; {@code "*"} = every expert
 * @param toolsSideEffects  the admin's word on tools whose annotations say nothing (tool name → changes something)
 * @param updatedAt         a connection opened before this instant is stale and is replaced
 */
public record McpServerDeclaration(String tenantId, String name, McpTransport transport, @Nullable String command,
                                   List<String> args, @Nullable URI url, List<String> allowedAgents,
                                   Map<String, Boolean> toolsSideEffects, Instant createdAt, Instant updatedAt) {

    public static final String EVERY_AGENT = "*";

    public McpServerDeclaration {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(transport, "transport");
        args = List.copyOf(args);
        allowedAgents = List.copyOf(allowedAgents);
        toolsSideEffects = Map.copyOf(toolsSideEffects);
    }

    public boolean allows(java.util.Collection<String> agentKeys) {
        return allowedAgents.contains(EVERY_AGENT) || agentKeys.stream().anyMatch(allowedAgents::contains);
    }
}
