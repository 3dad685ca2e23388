package io.askexpert.queue;

import io.askexpert.config.RedisConfiguration;
import io.askexpert.observability.HealthCheck;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Redis list when {@code REDIS_URL} is set; the in-process deque otherwise; and the {@code queue}
 * health check of whichever it is.
 */
@Configuration(proxyBeanMethods = false)
class QueueConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression(RedisConfiguration.WHEN_REDIS)
    RedisMissionQueue redisMissionQueue(StatefulRedisConnection<String, String> connection, RedisClient client,
                                        ObjectProvider<QueuePriorities> priorities) {
        return new RedisMissionQueue(connection, client, MissionQueue.KEY, lazy(priorities));
    }

    @Bean
    @ConditionalOnExpression(RedisConfiguration.WHEN_NO_REDIS)
    InProcessMissionQueue inProcessMissionQueue(ObjectProvider<QueuePriorities> priorities) {
        return new InProcessMissionQueue(Clock.systemUTC(), lazy(priorities));
    }

    @Bean
    @ConditionalOnExpression(RedisConfiguration.WHEN_REDIS)
    HealthCheck redisQueueHealthCheck(RedisMissionQueue queue) {
        return QueueHealthCheck.redis(queue);
    }

    @Bean
    @ConditionalOnExpression(RedisConfiguration.WHEN_NO_REDIS)
    HealthCheck inProcessQueueHealthCheck(InProcessMissionQueue queue) {
        return QueueHealthCheck.inProcess(queue);
    }

    /** Looked up at each push: the missions that provide it are built after the queue they use. */
    private static QueuePriorities lazy(ObjectProvider<QueuePriorities> priorities) {
        return id -> priorities.getIfAvailable(() -> QueuePriorities.NORMAL).of(id);
    }
}
