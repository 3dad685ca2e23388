package io.askexpert.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The limiter contract against the real Redis, under a key prefix of its own that is deleted afterwards. */
class RedisLimitersIT extends LimiterContract {

    static final String PREFIX = "ask_expert_test:" + UUID.randomUUID() + ":";
    static final RedisClient CLIENT = RedisClient.create(
            System.getenv().getOrDefault("ASK_EXPERT_TEST_REDIS", "redis://127.0.0.1:6379"));
    static final StatefulRedisConnection<String, String> REDIS = CLIENT.connect();
    static final RateLimiter RATES = new RedisRateLimiter(REDIS, PREFIX);
    static final ConcurrencyLimiter SLOTS = new RedisConcurrencyLimiter(REDIS, PREFIX + "concurrent:");

    @AfterAll
    static void cleanUp() {
        var keys = REDIS.sync().keys(PREFIX + "*");
        if (!keys.isEmpty()) {
            REDIS.sync().del(keys.toArray(String[]::new));
        }
        REDIS.close();
        CLIENT.shutdown();
    }

    @Override
    RateLimiter rateLimiter() {
        return RATES;
    }

    @Override
    ConcurrencyLimiter concurrencyLimiter() {
        return SLOTS;
    }

    @Test
    void state_lives_in_redis_with_an_expiry() {
        String key = key();
        RATES.acquire(key, FIVE_PER_HOUR);
        assertThat(REDIS.sync().pttl(PREFIX + key)).isPositive();
        // A second limiter object (another instance) sees the same bucket.
        RateLimiter other = new RedisRateLimiter(REDIS, PREFIX);
        assertThat(other.acquire(key, FIVE_PER_HOUR).remaining()).isEqualTo(3);
    }

    @Test
    void a_lapsed_lease_frees_its_slot() {
        String key = key();
        assertThat(SLOTS.tryAcquire(key, 1, Duration.ofMillis(200))).isPresent();
        assertThat(SLOTS.tryAcquire(key, 1, Duration.ofMinutes(1))).isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> SLOTS.tryAcquire(key, 1, Duration.ofMinutes(1)).isPresent());
    }
}
