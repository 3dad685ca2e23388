package io.askexpert.api;

import io.askexpert.auth.TenantContext;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.mcp.McpServerDeclaration;
import io.askexpert.mcp.McpServerRequest;
import io.askexpert.mcp.McpTools;
import io.askexpert.tools.Tool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenant's MCP servers (docs/INTEGRATIONS.md), for its admins only:
 * {@code PUT/GET/DELETE /mcp/servers/{name}}, the list, and {@code GET /mcp/servers/{name}/tools}
 * which connects and shows each tool as experts will see it (name, schema, side effects).
 */
@RestController
@RequestMapping("/api/v1/expert/mcp/servers")
class McpRoutes {

    private final McpTools mcp;

    McpRoutes(McpTools mcp) {
        this.mcp = mcp;
    }

    @GetMapping
    Map<String, Object> list(TenantContext tenant) {
        JsonFields.requireAdmin(tenant, "reading MCP servers");
        return Map.of("servers", mcp.servers(tenant.tenantId()).stream().map(McpRoutes::json).toList());
    }

    @PutMapping("/{name}")
    Map<String, @Nullable Object> put(TenantContext tenant, @PathVariable String name, @RequestBody @Nullable Object body) {
        JsonFields.requireAdmin(tenant, "declaring MCP servers");
        Map<String, @Nullable Object> f = JsonFields.object(body);
        McpServerRequest request = new McpServerRequest(JsonFields.string(f, "transport"), JsonFields.string(f, "command"),
                JsonFields.strings(f, "args"), JsonFields.string(f, "url"), JsonFields.strings(f, "allowed_agents"),
                JsonFields.booleans(f, "tools_side_effects"));
        return json(mcp.declare(tenant.tenantId(), name, request));
    }

    @GetMapping("/{name}")
    Map<String, @Nullable Object> get(TenantContext tenant, @PathVariable String name) {
        JsonFields.requireAdmin(tenant, "reading MCP servers");
        return json(mcp.server(tenant.tenantId(), name).orElseThrow(() -> notFound(name)));
    }

    @GetMapping("/{name}/tools")
    Map<String, Object> tools(TenantContext tenant, @PathVariable String name) {
        JsonFields.requireAdmin(tenant, "reading MCP servers");
        List<Map<String, Object>> tools = mcp.describe(tenant.tenantId(), name).stream().map(McpRoutes::json).toList();
        return Map.of("server", name, "tools", tools);
    }

    @DeleteMapping("/{name}")
    ResponseEntity<Void> delete(TenantContext tenant, @PathVariable String name) {
        JsonFields.requireAdmin(tenant, "removing MCP servers");
        if (!mcp.remove(tenant.tenantId(), name)) {
            throw notFound(name);
        }
        return ResponseEntity.noContent().build();
    }

    private static AskExpertException notFound(String name) {
        return AskExpertException.notFound(ErrorCode.NOT_FOUND, "MCP server", name);
    }

    private static Map<String, @Nullable Object> json(McpServerDeclaration d) {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        out.put("name", d.name());
        out.put("transport", d.transport().wireName());
        out.put("command", d.command());
        out.put("args", d.args());
        out.put("url", d.url() == null ? null : d.url().toString());
        out.put("allowed_agents", d.allowedAgents());
        out.put("tools_side_effects", d.toolsSideEffects());
        out.put("created_at", d.createdAt().toString());
        out.put("updated_at", d.updatedAt().toString());
        return out;
    }

    private static Map<String, Object> json(Tool tool) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", tool.spec().name());
        out.put("description", tool.spec().description());
        out.put("input_schema", tool.spec().inputSchema());
        out.put("side_effects", tool.spec().sideEffects());
        out.put("timeout_s", tool.spec().timeout().toSeconds());
        return out;
    }
}
