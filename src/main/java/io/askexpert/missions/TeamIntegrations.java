package io.askexpert.missions;

import io.askexpert.mcp.McpTools;
import io.askexpert.tools.ToolRegistry;
import io.askexpert.webhooks.MissionNotification;
import io.askexpert.webhooks.NotificationType;
import io.askexpert.webhooks.Webhooks;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What mode 4 uses from outside: the tenant's MCP tools allowed for each member (by its id or slug),
 * run through the tool registry's checks, and the tenant's webhook for notifications (one delivery
 * per notification key, so a replayed step never notifies twice).
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

    @Bean
    MissionNotifier webhookNotifier(Webhooks webhooks) {
        return (mission, key, type, title, message, status) -> NotificationType.fromWire(type.toLowerCase(Locale.ROOT))
                .ifPresent(t -> webhooks.notify(mission.tenantId(), new MissionNotification(t, mission.id(), title, message,
                        status, Instant.now()), mission.id() + ":" + key));
    }
}
