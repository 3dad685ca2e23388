package io.askexpert.config;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One Lettuce client for the whole process when {@code REDIS_URL} is set. Capabilities that have a
 * Redis implementation (event log, queue, cache, rate limits, locks) take the shared connection;
 * without {@code REDIS_URL} none of these beans exist and the in-process implementations are used.
 * Lettuce is used directly: {@code REDIS_URL} is bound here, and no templates or repositories are needed.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${ask-expert.redis.url:}' != ''")
public class RedisConfiguration {

    /** Bean-condition shorthand for Redis-backed implementations. */
    public static final String WHEN_REDIS = "'${ask-expert.redis.url:}' != ''";
    /** Bean-condition shorthand for in-process implementations. */
    public static final String WHEN_NO_REDIS = "'${ask-expert.redis.url:}' == ''";

    @Bean(destroyMethod = "shutdown")
    RedisClient redisClient(AskExpertSettings settings) {
        RedisClient client = RedisClient.create(RedisURI.create(settings.redis().url()));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Fail fast while Redis is down instead of queueing commands without bound.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(2)))
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build())
                .build());
        return client;
    }

    /**
     * Connected on first use, so the process starts while Redis is down and reports it on
     * {@code /health/detailed}; callers should ask for {@code sync()}/{@code async()} per operation.
     */
    @Bean(destroyMethod = "close")
    StatefulRedisConnection<String, String> redisConnection(RedisClient client) {
        return LazyRedisConnection.create(client, java.time.Clock.systemUTC());
    }
}
