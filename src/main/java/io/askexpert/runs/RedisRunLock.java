package io.askexpert.runs;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Optional;

/** {@code SET session:<id> <run id> NX PX <ttl>}; release deletes the key only while it still holds our run id. */
final class RedisRunLock implements RunLock {

    private static final LuaScript RELEASE = new LuaScript("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """);

    private final RedisCommands<String, String> redis;

    RedisRunLock(StatefulRedisConnection<String, String> connection) {
        this.redis = connection.sync();
    }

    @Override
    public boolean tryAcquire(String sessionId, String owner, Duration ttl) {
        try {
            return "OK".equals(redis.set(RunLock.key(sessionId), owner, SetArgs.Builder.nx().px(ttl.toMillis())));
        } catch (RedisException e) {
            throw new RunBackendUnavailable(e);
        }
    }

    @Override
    public boolean release(String sessionId, String owner) {
        try {
            Long n = RELEASE.run(redis, ScriptOutputType.INTEGER, new String[] {RunLock.key(sessionId)}, owner);
            return n != null && n == 1L;
        } catch (RedisException e) {
            throw new RunBackendUnavailable(e);
        }
    }

    @Override
    public Optional<String> holder(String sessionId) {
        try {
            return Optional.ofNullable(redis.get(RunLock.key(sessionId)));
        } catch (RedisException e) {
            throw new RunBackendUnavailable(e);
        }
    }
}
