package io.askexpert.ratelimit;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.config.RedisConfiguration;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Redis-backed limiters when {@code REDIS_URL} is set, in-process ones otherwise. */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    @Bean
    @ConditionalOnExpression(RedisConfiguration.WHEN_REDIS)
    RateLimiter redisRateLimiter(StatefulRedisConnection<String, String> redis, AskExpertSettings settings) {
        return new RedisRateLimiter(redis, settings.rateLimits().keyPrefix());
    }

    @Bean
    @ConditionalOnExpression(RedisConfiguration.WHEN_REDIS)
    ConcurrencyLimiter redisConcurrencyLimiter(StatefulRedisConnection<String, String> redis, AskExpertSettings settings) {
        return new RedisConcurrencyLimiter(redis, settings.rateLimits().keyPrefix() + "concurrent:");
    }

    @Bean
    @ConditionalOnExpression(RedisConfiguration.WHEN_NO_REDIS)
    RateLimiter inProcessRateLimiter() {
        return new InProcessRateLimiter(Clock.systemUTC());
    }

    @Bean
    @ConditionalOnExpression(RedisConfiguration.WHEN_NO_REDIS)
    ConcurrencyLimiter inProcessConcurrencyLimiter() {
        return new InProcessConcurrencyLimiter();
    }
}
