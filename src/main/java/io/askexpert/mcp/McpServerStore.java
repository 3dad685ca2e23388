package io.askexpert.mcp;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Table {@code mcp_servers}; every query is scoped to one tenant. */
final class McpServerStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;

    McpServerStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    McpServerDeclaration save(McpServerDeclaration d) {
        jdbc.sql("""
                INSERT INTO mcp_servers (tenant_id, name, transport, command, args, url, allowed_agents, tools_side_effects)
                VALUES (?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?::jsonb)
                ON CONFLICT (tenant_id, name) DO UPDATE SET transport = EXCLUDED.transport, command = EXCLUDED.command,
                  args = EXCLUDED.args, url = EXCLUDED.url, allowed_agents = EXCLUDED.allowed_agents,
                  tools_side_effects = EXCLUDED.tools_side_effects, updated_at = clock_timestamp()""")
                .params(d.tenantId(), d.name(), d.transport().wireName(), d.command(), JSON.writeValueAsString(d.args()),
                        d.url() == null ? null : d.url().toString(), JSON.writeValueAsString(d.allowedAgents()),
                        JSON.writeValueAsString(d.toolsSideEffects()))
                .update();
        return find(d.tenantId(), d.name()).orElseThrow();
    }

    Optional<McpServerDeclaration> find(String tenantId, String name) {
        return jdbc.sql("SELECT * FROM mcp_servers WHERE tenant_id = ? AND name = ?").params(tenantId, name)
                .query((rs, n) -> row(rs)).optional();
    }

    List<McpServerDeclaration> list(String tenantId) {
        return jdbc.sql("SELECT * FROM mcp_servers WHERE tenant_id = ? ORDER BY name").param(tenantId)
                .query((rs, n) -> row(rs)).list();
    }

    int count(String tenantId) {
        return jdbc.sql("SELECT count(*) FROM mcp_servers WHERE tenant_id = ?").param(tenantId).query(Integer.class).single();
    }

    boolean delete(String tenantId, String name) {
        return jdbc.sql("DELETE FROM mcp_servers WHERE tenant_id = ? AND name = ?").params(tenantId, name).update() > 0;
    }

    private static McpServerDeclaration row(ResultSet rs) throws SQLException {
        String url = rs.getString("url");
        return new McpServerDeclaration(rs.getString("tenant_id"), rs.getString("name"),
                McpTransport.fromWire(rs.getString("transport")).orElseThrow(), rs.getString("command"),
                JSON.readValue(rs.getString("args"), new TypeReference<List<String>>() { }),
                url == null ? null : URI.create(url),
                JSON.readValue(rs.getString("allowed_agents"), new TypeReference<List<String>>() { }),
                JSON.readValue(rs.getString("tools_side_effects"), new TypeReference<Map<String, Boolean>>() { }),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
