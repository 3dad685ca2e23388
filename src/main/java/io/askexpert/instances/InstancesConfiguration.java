package io.askexpert.instances;

import io.askexpert.config.AskExpertSettings;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** This instance and its heartbeat. */
@Configuration(proxyBeanMethods = false)
class InstancesConfiguration {

    @Bean
    ServiceInstances serviceInstances(DataSource dataSource, AskExpertSettings settings) {
        return new ServiceInstances(dataSource, settings.role(), settings.instances().staleAfter(),
                settings.database().embedded());
    }

    @Bean(destroyMethod = "close")
    InstanceHeartbeat instanceHeartbeat(ServiceInstances instances, AskExpertSettings settings) {
        return new InstanceHeartbeat(instances, settings.instances().heartbeatInterval());
    }
}
