package io.askexpert.queue;

import io.askexpert.config.RedisConfiguration;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Redis list when {@code REDIS_URL} is set; the in-process deque otherwise. */
@Configuration(proxyBeanMethods = false)
class QueueConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression(RedisConfiguration.WHEN_REDIS)
    RedisMissionQueue redisMissionQueue(StatefulRedisConnection<String, String> connection, RedisClient client) {
        return new RedisMissionQueue(connection, client);
    }

    @Bean
    @ConditionalOnExpression(RedisConfiguration.WHEN_NO_REDIS)
    InProcessMissionQueue inProcessMissionQueue() {
        return new InProcessMissionQueue();
    }
}
