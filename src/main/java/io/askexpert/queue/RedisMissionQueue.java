package io.askexpert.queue;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runbook's Redis list {@code ask_expert_queue} holds every waiting id (LPUSH), so
 * {@code LLEN ask_expert_queue} keeps meaning "missions waiting". Beside it the sorted set
 * {@code ask_expert_queue:order} scores each id by its push time (Redis's clock, shared by every
 * instance) shifted by its priority's aging, and a take pops the lowest score and removes that id
 * from the list in one script. An id in the list without a score (pushed by an older instance) is
 * taken from the list's old end once no scored id waits. When nothing waits, a taker blocks on the
 * sorted set (BZPOPMIN) on a connection of its own, opened on first use and reopened after a failure.
 */
final class RedisMissionQueue implements MissionQueue, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisMissionQueue.class);

    /** Score: milliseconds (push time plus aging) times 1000 plus a sequence, so equal times keep push order. */
    private static final String PUSH = """
            local t = redis.call('TIME')
            local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[2])
            local seq = redis.call('INCR', KEYS[3]) % 1000
            redis.call('LPUSH', KEYS[1], ARGV[1])
            redis.call('ZADD', KEYS[2], 'NX', ms * 1000 + seq, ARGV[1])
            return 1""";
    private static final String TAKE = """
            local r = redis.call('ZPOPMIN', KEYS[2])
            if r[1] then
              redis.call('LREM', KEYS[1], 1, r[1])
              return r[1]
            end
            return redis.call('RPOP', KEYS[1])""";

    private final StatefulRedisConnection<String, String> shared;
    private final RedisClient client;
    private final String key;
    private final String[] keys;
    private volatile @Nullable String pushSha;
    private volatile @Nullable String takeSha;
    private final QueuePriorities priorities;
    private @Nullable StatefulRedisConnection<String, String> blocking;

    RedisMissionQueue(StatefulRedisConnection<String, String> shared, RedisClient client) {
        this(shared, client, KEY, QueuePriorities.NORMAL);
    }

    RedisMissionQueue(StatefulRedisConnection<String, String> shared, RedisClient client, String key,
                      QueuePriorities priorities) {
        this.shared = shared;
        this.priorities = priorities;
        this.client = client;
        this.key = key;
        this.keys = new String[] {key, orderKey(key), key + ":seq"};
    }

    /** The sorted set that orders the list {@code key}. */
    static String orderKey(String key) {
        return key + ":order";
    }

    @Override
    public void push(UUID missionId) {
        push(missionId, priorities.of(missionId));
    }

    @Override
    public void push(UUID missionId, QueuePriority priority) {
        pushSha = script(shared.sync(), PUSH, pushSha, ScriptOutputType.INTEGER, missionId.toString(),
                Long.toString(priority.aging().toMillis())).sha();
    }

    @Override
    public Optional<UUID> take(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Ran first = script(shared.sync(), TAKE, takeSha, ScriptOutputType.VALUE);
        takeSha = first.sha();
        if (first.value() != null) {
            return parse(first.value().toString());
        }
        long leftMs = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
        if (leftMs <= 0) {
            return Optional.empty();
        }
        StatefulRedisConnection<String, String> connection = blockingConnection(timeout);
        try {
            KeyValue<String, ScoredValue<String>> popped = connection.sync().bzpopmin(Math.max(0.01, leftMs / 1000.0),
                    keys[1]);
            if (popped == null || !popped.hasValue()) {
                return Optional.empty();
            }
            String id = popped.getValue().getValue();
            shared.sync().lrem(key, 1, id);
            return parse(id);
        } catch (RedisException e) {
            synchronized (this) {
                if (blocking == connection) {
                    connection.close();
                    blocking = null;
                }
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            throw e;
        }
    }

    private synchronized StatefulRedisConnection<String, String> blockingConnection(Duration timeout) {
        if (blocking == null || !blocking.isOpen()) {
            blocking = client.connect();
            // A blocking pop may wait for its whole timeout: the client's command timeout must outlast it.
            blocking.setTimeout(timeout.plusSeconds(5));
        }
        return blocking;
    }

    private Optional<UUID> parse(String value) {
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            log.warn("Dropped an entry of {} that is not a mission id", key);
            return Optional.empty();
        }
    }

    private record Ran(String sha, @Nullable Object value) {
    }

    /** Runs a script by digest, loading it when the server does not know it (first use, restart, SCRIPT FLUSH). */
    private Ran script(RedisCommands<String, String> redis, String source, @Nullable String sha, ScriptOutputType type,
                       String... args) {
        String digest = sha == null ? redis.scriptLoad(source) : sha;
        try {
            return new Ran(digest, redis.evalsha(digest, type, keys, args));
        } catch (RedisNoScriptException e) {
            digest = redis.scriptLoad(source);
            return new Ran(digest, redis.evalsha(digest, type, keys, args));
        }
    }

    @Override
    public long depth() {
        return shared.sync().llen(key);
    }

    /** The list's length, waiting at most {@code timeout} for Redis (the health check's probe). */
    long depthWithin(Duration timeout) throws Exception {
        return shared.async().llen(key).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The list this queue uses ({@link MissionQueue#KEY} outside tests). */
    String key() {
        return key;
    }

    @Override
    public synchronized void close() {
        if (blocking != null) {
            blocking.close();
            blocking = null;
        }
    }
}
