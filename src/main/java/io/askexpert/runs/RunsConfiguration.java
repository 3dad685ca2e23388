package io.askexpert.runs;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.config.RedisConfiguration;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
                                DataSource dataSource, AskExpertSettings settings) {
            return new RunRegistry(events, locks, cancels, new RunStore(dataSource), settings.runs(),
                    Clock.systemUTC(), () -> { });
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
        RunRegistry runRegistry(InProcessEventLog events, DataSource dataSource, AskExpertSettings settings) {
            return new RunRegistry(events, new InProcessRunLock(Clock.systemUTC()), new InProcessCancelSignal(),
                    new RunStore(dataSource), settings.runs(), Clock.systemUTC(), events::sweep);
        }
    }
}
