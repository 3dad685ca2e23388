package io.askexpert.runs;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One Redis Stream per run ({@code run:{id}:events}, entry ids {@code <n>-0}) with its counter
 * ({@code run:{id}:seq}); a Lua script numbers, appends, sets expiry and publishes in one step, so
 * ids stay gapless when several threads or instances append. Readers poll with XRANGE and sleep
 * until a publish on the stream's key wakes them, so a waiting stream holds no Redis connection
 * of its own: one shared connection serves every reader of this instance.
 */
final class RedisEventLog implements EventLog, AutoCloseable {

    /** Numbers, appends, sets expiry and publishes: {@code KEYS[1]} the stream, {@code KEYS[2]} its counter. */
    private static final String APPEND_BODY = """
            local n = redis.call('INCR', KEYS[2])
            redis.call('XADD', KEYS[1], n .. '-0', 'e', ARGV[1], 'd', ARGV[2])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            redis.call('PEXPIRE', KEYS[2], ARGV[3])
            redis.call('PUBLISH', KEYS[1], n)
            return n
            """;
    private static final LuaScript APPEND = new LuaScript(APPEND_BODY);
    /** As {@link #APPEND}, after adding the key to the run's set of keys ({@code run:{id}:once}); 0 when it was there. */
    private static final LuaScript APPEND_ONCE = new LuaScript("""
            if redis.call('SADD', KEYS[3], ARGV[4]) == 0 then
              return 0
            end
            redis.call('PEXPIRE', KEYS[3], ARGV[3])
            """ + APPEND_BODY);
    /** Waiting readers re-check at least this often, in case a publish was missed. */
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final RedisCommands<String, String> redis;
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private final RunEventJson json = new RunEventJson();
    private final Duration liveTtl;
    private final Map<String, Waiters> waiting = new ConcurrentHashMap<>();

    RedisEventLog(StatefulRedisConnection<String, String> connection,
                  StatefulRedisPubSubConnection<String, String> pubSub, Duration liveTtl) {
        this.redis = connection.sync();
        this.pubSub = pubSub;
        this.liveTtl = liveTtl;
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                Waiters w = waiting.get(channel);
                if (w != null) {
                    w.wake();
                }
            }
        });
    }

    static String eventsKey(String runId) {
        return "run:{" + runId + "}:events";
    }

    private static String seqKey(String runId) {
        return "run:{" + runId + "}:seq";
    }

    private static String onceKey(String runId) {
        return "run:{" + runId + "}:once";
    }

    @Override
    public Sequenced append(String runId, RunEvent event) {
        return java.util.Objects.requireNonNull(run(APPEND, runId, event, new String[] {eventsKey(runId), seqKey(runId)}),
                "INCR never returns 0");
    }

    @Override
    public @Nullable Sequenced appendOnce(String runId, String once, RunEvent event) {
        return run(APPEND_ONCE, runId, event, new String[] {eventsKey(runId), seqKey(runId), onceKey(runId)}, once);
    }

    /** Runs an append script; null when it appended nothing (it returned 0). */
    private @Nullable Sequenced run(LuaScript script, String runId, RunEvent event, String[] keys, String... extra) {
        String data = json.encode(event);
        String[] args = new String[3 + extra.length];
        args[0] = event.wireName();
        args[1] = data;
        args[2] = Long.toString(liveTtl.toMillis());
        System.arraycopy(extra, 0, args, 3, extra.length);
        try {
            Long id = script.run(redis, ScriptOutputType.INTEGER, keys, args);
            if (id == null || id == 0) {
                return null;
            }
            Waiters w = waiting.get(keys[0]);
            if (w != null) {
                w.wake();
            }
            return new Sequenced(id, event.wireName(), data);
        } catch (RedisException e) {
            throw new RunBackendUnavailable(e);
        }
    }

    @Override
    public List<Sequenced> readAfter(String runId, long afterId, int limit, Duration wait) {
        String key = eventsKey(runId);
        List<Sequenced> found = range(key, afterId, limit);
        if (!found.isEmpty() || wait.isZero()) {
            return found;
        }
        Waiters w = waiting.compute(key, (k, existing) -> {
            Waiters ws = existing == null ? new Waiters() : existing;
            if (ws.count++ == 0) {
                pubSub.async().subscribe(key);
            }
            return ws;
        });
        try {
            long deadline = System.nanoTime() + wait.toNanos();
            while (found.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || Thread.currentThread().isInterrupted()) {
                    break;
                }
                long seen = w.generation;
                found = range(key, afterId, limit);
                if (found.isEmpty()) {
                    w.await(seen, Math.min(left, MAX_SLEEP_NANOS));
                }
            }
            return found;
        } finally {
            waiting.compute(key, (k, ws) -> {
                if (ws != null && --ws.count == 0) {
                    pubSub.async().unsubscribe(key);
                    return null;
                }
                return ws;
            });
        }
    }

    private List<Sequenced> range(String key, long afterId, int limit) {
        try {
            List<StreamMessage<String, String>> messages =
                    redis.xrange(key, Range.create((afterId + 1) + "-0", "+"), Limit.from(limit));
            List<Sequenced> out = new ArrayList<>(messages.size());
            for (StreamMessage<String, String> m : messages) {
                String id = m.getId();
                out.add(new Sequenced(Long.parseLong(id.substring(0, id.indexOf('-'))),
                        m.getBody().get("e"), m.getBody().get("d")));
            }
            return out;
        } catch (RedisException e) {
            throw new RunBackendUnavailable(e);
        }
    }

    @Override
    public void retain(String runId, Duration ttl) {
        try {
            redis.pexpire(eventsKey(runId), ttl.toMillis());
            redis.pexpire(seqKey(runId), ttl.toMillis());
            redis.pexpire(onceKey(runId), ttl.toMillis());
        } catch (RedisException e) {
            throw new RunBackendUnavailable(e);
        }
    }

    @Override
    public void close() {
        pubSub.close();
    }

    /** Readers of one run on this instance, woken by appends here or publishes from elsewhere. */
    private static final class Waiters {
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        volatile long generation;
        int count;

        void wake() {
            lock.lock();
            try {
                generation++;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        void await(long seen, long nanos) {
            lock.lock();
            try {
                if (generation == seen) {
                    changed.await(nanos, TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        }
    }
}
