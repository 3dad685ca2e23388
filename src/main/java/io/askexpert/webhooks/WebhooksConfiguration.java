package io.askexpert.webhooks;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.outbound.OutboundHttp;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The webhook stores, the entry point and (on every serving or working instance) the dispatcher. */
@Configuration(proxyBeanMethods = false)
class WebhooksConfiguration {

    /** Not in one-shot command-line runs: they exit before a delivery could be made. */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${ask-expert.role:serve}' != 'cli'")
    WebhookDispatcher webhookDispatcher(DataSource dataSource, OutboundHttp http, AskExpertSettings settings) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        return new WebhookDispatcher(new DeliveryStore(jdbc), new WebhookSender(new WebhookStore(jdbc), http,
                Clock.systemUTC()), settings.webhooks());
    }

    @Bean
    Webhooks webhooks(DataSource dataSource, OutboundHttp http,
                      org.springframework.beans.factory.ObjectProvider<WebhookDispatcher> dispatcher) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        WebhookDispatcher running = dispatcher.getIfAvailable();
        Runnable wake = running == null ? () -> { } : running::wake;
        return new Webhooks(new WebhookStore(jdbc), new DeliveryStore(jdbc), http.policy(), wake, Clock.systemUTC());
    }
}
