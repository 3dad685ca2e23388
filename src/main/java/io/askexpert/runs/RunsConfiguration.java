package io.askexpert.runs;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.config.Mode;
import io.askexpert.config.RedisConfiguration;
import io.askexpert.cost.CostLedger;
import io.askexpert.instances.ServiceInstances;
import io.askexpert.sessions.SessionStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Redis-backed event log, session lock and cancel signal when {@code REDIS_URL} is set; the
 * in-process ones otherwise, with a warning that streams then resume only on this instance.
 */
@Configuration(proxyBeanMethods = false)
class RunsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RunsConfiguration.class);

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression(RedisConfiguration.WHEN_REDIS)
    static class Redis {

        @Bean(destroyMethod = "close")
        RedisEventLog eventLog(StatefulRedisConnection<String, String> connection, RedisClient client,
                               AskExpertSettings settings) {
            return new RedisEventLog(connection, client.connectPubSub(), settings.runs().liveRetention());
        }

        @Bean
        RedisRunLock runLock(StatefulRedisConnection<String, String> connection) {
            return new RedisRunLock(connection);
        }

        @Bean(destroyMethod = "close")
        RedisCancelSignal cancelSignal(StatefulRedisConnection<String, String> connection, RedisClient client) {
            return new RedisCancelSignal(connection, client.connectPubSub());
        }

        @Bean(destroyMethod = "close")
        RunRegistry runRegistry(RedisEventLog events, RedisRunLock locks, RedisCancelSignal cancels,
                                DataSource dataSource, ServiceInstances instances, AskExpertSettings settings) {
            return new RunRegistry(events, locks, cancels, new RunStore(dataSource), instances, settings.runs(),
                    Clock.systemUTC(), () -> { });
        }

        @Bean(destroyMethod = "close")
        OrphanedRuns orphanedRuns(RedisEventLog events, RunRegistry registry, DataSource dataSource,
                                  ServiceInstances instances, CostLedger costs, SessionStore sessions,
                                  AskExpertSettings settings) {
            return RunsConfiguration.orphanedRuns(events, registry, dataSource, instances, costs, sessions, settings);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnExpression(RedisConfiguration.WHEN_NO_REDIS)
    static class InProcess {

        @Bean
        InProcessEventLog eventLog(AskExpertSettings settings) {
            log.warn("REDIS_URL is not set: run events are kept in this process; a stream can resume only on this instance");
            return new InProcessEventLog(Clock.systemUTC(), settings.runs().liveRetention());
        }

        @Bean(destroyMethod = "close")
        RunRegistry runRegistry(InProcessEventLog events, DataSource dataSource, ServiceInstances instances,
                                AskExpertSettings settings) {
            return new RunRegistry(events, new InProcessRunLock(Clock.systemUTC()), new InProcessCancelSignal(),
                    new RunStore(dataSource), instances, settings.runs(), Clock.systemUTC(), events::sweep);
        }

        @Bean(destroyMethod = "close")
        OrphanedRuns orphanedRuns(InProcessEventLog events, RunRegistry registry, DataSource dataSource,
                                  ServiceInstances instances, CostLedger costs, SessionStore sessions,
                                  AskExpertSettings settings) {
            return RunsConfiguration.orphanedRuns(events, registry, dataSource, instances, costs, sessions, settings);
        }
    }

    /** Interactive runs recorded before runs had an instance are judged by age: none lasts longer than this. */
    private static final Duration UNOWNED_GRACE = Duration.ofMinutes(5);

    static OrphanedRuns orphanedRuns(EventLog events, RunRegistry registry, DataSource dataSource,
                                     ServiceInstances instances, CostLedger costs, SessionStore sessions,
                                     AskExpertSettings settings) {
        Duration longest = settings.modes().timeout(Mode.MODE1).compareTo(settings.modes().timeout(Mode.MODE2)) > 0
                ? settings.modes().timeout(Mode.MODE1) : settings.modes().timeout(Mode.MODE2);
        return new OrphanedRuns(new RunStore(dataSource), events, registry, instances, costs, sessions,
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), settings.runs().retention(),
                longest.plus(UNOWNED_GRACE), settings.instances().heartbeatInterval());
    }
}
