package io.askexpert.ratelimit;

import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;

/**
 * The token bucket as one Lua script, so reading, refilling and taking a permit are one atomic
 * step however many instances share the key. Time comes from the Redis server, the one clock
 * all instances agree on. An idle bucket expires once it would be full again.
 */
public final class RedisRateLimiter implements RateLimiter {

    private static final String SCRIPT = """
            local capacity = tonumber(ARGV[1])
            local window_ms = tonumber(ARGV[2])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(state[1])
            local at = tonumber(state[2])
            if tokens == nil or at == nil then
              tokens = capacity
              at = now
            end
            tokens = math.min(capacity, tokens + math.max(0, now - at) * capacity / window_ms)
            local allowed = 0
            if tokens >= 1 then
              tokens = tokens - 1
              allowed = 1
            end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
            redis.call('PEXPIRE', KEYS[1], window_ms)
            return {allowed, tostring(tokens), tostring(now)}
            """;

    private final RedisScript script;
    private final String prefix;

    public RedisRateLimiter(StatefulRedisConnection<String, String> redis, String prefix) {
        this.script = new RedisScript(redis, SCRIPT);
        this.prefix = prefix;
    }

    @Override
    public RateLimitDecision acquire(String key, RateLimit limit) {
        List<Object> result = script.run(new String[] {prefix + key},
                String.valueOf(limit.permits()), String.valueOf(limit.window().toMillis()));
        boolean allowed = ((Number) result.get(0)).longValue() == 1;
        double tokens = Double.parseDouble(result.get(1).toString());
        long now = Long.parseLong(result.get(2).toString());
        return RateLimitDecision.of(allowed, limit, tokens, now);
    }
}
