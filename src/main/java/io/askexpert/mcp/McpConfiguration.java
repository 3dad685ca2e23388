package io.askexpert.mcp;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.outbound.OutboundHttp;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The declarations store, the open sessions (closed at shutdown) and the entry point. */
@Configuration(proxyBeanMethods = false)
class McpConfiguration {

    @Bean(destroyMethod = "close")
    McpConnections mcpConnections(AskExpertSettings settings, OutboundHttp outbound) {
        return new McpConnections(settings.mcp(), outbound);
    }

    @Bean
    McpTools mcpTools(DataSource dataSource, McpConnections connections, AskExpertSettings settings, OutboundHttp outbound) {
        return new McpTools(new McpServerStore(JdbcClient.create(dataSource)),
                new McpDeclarations(settings.mcp(), outbound.policy()), connections, settings.mcp());
    }
}
