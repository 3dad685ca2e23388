package io.askexpert.ratelimit;

import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Slots as members of a sorted set scored by lease expiry. Taking a slot first drops lapsed
 * leases, then adds one only while fewer than the limit remain, in one Lua script.
 */
public final class RedisConcurrencyLimiter implements ConcurrencyLimiter {

    private static final String ACQUIRE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            local held = redis.call('ZCARD', KEYS[1])
            local limit = tonumber(ARGV[1])
            if held >= limit then
              return {0, held}
            end
            local lease = tonumber(ARGV[3])
            redis.call('ZADD', KEYS[1], now + lease, ARGV[2])
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < lease then
              redis.call('PEXPIRE', KEYS[1], lease)
            end
            return {1, held + 1}
            """;
    private static final String IN_USE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            return {redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')}
            """;

    private final StatefulRedisConnection<String, String> redis;
    private final RedisScript acquire;
    private final RedisScript inUse;
    private final String prefix;

    public RedisConcurrencyLimiter(StatefulRedisConnection<String, String> redis, String prefix) {
        this.redis = redis;
        this.acquire = new RedisScript(redis, ACQUIRE);
        this.inUse = new RedisScript(redis, IN_USE);
        this.prefix = prefix;
    }

    @Override
    public Optional<Permit> tryAcquire(String key, int limit, Duration lease) {
        String redisKey = prefix + key;
        String member = UUID.randomUUID().toString();
        List<Object> result = acquire.run(new String[] {redisKey}, String.valueOf(limit), member,
                String.valueOf(Math.max(1, lease.toMillis())));
        if (((Number) result.get(0)).longValue() != 1) {
            return Optional.empty();
        }
        int remaining = Math.max(0, limit - ((Number) result.get(1)).intValue());
        AtomicBoolean open = new AtomicBoolean(true);
        return Optional.of(new Permit() {
            @Override
            public int remaining() {
                return remaining;
            }

            @Override
            public void close() {
                if (open.compareAndSet(true, false)) {
                    redis.sync().zrem(redisKey, member);
                }
            }
        });
    }

    @Override
    public int inUse(String key) {
        return ((Number) inUse.run(new String[] {prefix + key}).get(0)).intValue();
    }
}
