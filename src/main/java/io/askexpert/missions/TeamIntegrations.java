package io.askexpert.missions;

import io.askexpert.mcp.McpTools;
import io.askexpert.tools.ToolRegistry;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What missions use from outside: the tenant's MCP tools allowed for an expert (by its id or slug),
 * mode 3's expert and each mode 4 member, run through the tool registry's checks.
 */
@Configuration(proxyBeanMethods = false)
class TeamIntegrations {

    @Bean
    MemberTools.External mcpMemberTools(McpTools mcp) {
        return (tenant, agent) -> mcp.forTenant(tenant, List.of(agent.id(), agent.slug()));
    }

    @Bean
    MemberTools.Runner registryRunner(ToolRegistry registry) {
        return registry::execute;
    }
}
