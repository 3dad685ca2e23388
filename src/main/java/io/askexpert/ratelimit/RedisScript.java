package io.askexpert.ratelimit;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;

/** A Lua script run by digest, loaded again whenever the server has forgotten it (restart, flush). */
final class RedisScript {

    private final StatefulRedisConnection<String, String> redis;
    private final String source;
    private final String sha;

    RedisScript(StatefulRedisConnection<String, String> redis, String source) {
        this.redis = redis;
        this.source = source;
        this.sha = sha1(source);
    }

    private static String sha1(String source) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    List<Object> run(String[] keys, String... args) {
        try {
            return redis.sync().evalsha(sha, ScriptOutputType.MULTI, keys, args);
        } catch (RedisNoScriptException e) {
            return redis.sync().eval(source, ScriptOutputType.MULTI, keys, args);
        }
    }
}
