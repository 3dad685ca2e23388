package io.askexpert.runs;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;

/** A Lua script run by digest, loaded again when the server has forgotten it (restart, SCRIPT FLUSH). */
final class LuaScript {

    private final String source;
    private volatile String digest;

    LuaScript(String source) {
        this.source = source;
    }

    <T> T run(RedisCommands<String, String> redis, ScriptOutputType type, String[] keys, String... args) {
        String sha = digest;
        if (sha == null) {
            sha = digest = redis.scriptLoad(source);
        }
        try {
            return redis.evalsha(sha, type, keys, args);
        } catch (RedisNoScriptException e) {
            digest = redis.scriptLoad(source);
            return redis.evalsha(digest, type, keys, args);
        }
    }
}
