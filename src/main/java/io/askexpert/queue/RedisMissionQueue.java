package io.askexpert.queue;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runbook's Redis list {@code ask_expert_queue}: LPUSH to add, BRPOP to take the oldest. BRPOP
 * blocks its connection, so takers use a connection of their own (opened on first use and reopened
 * after a failure); pushes and {@code LLEN} go over the shared one.
 */
final class RedisMissionQueue implements MissionQueue, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisMissionQueue.class);

    private final StatefulRedisConnection<String, String> shared;
    private final RedisClient client;
    private final String key;
    private StatefulRedisConnection<String, String> blocking;

    RedisMissionQueue(StatefulRedisConnection<String, String> shared, RedisClient client) {
        this(shared, client, KEY);
    }

    RedisMissionQueue(StatefulRedisConnection<String, String> shared, RedisClient client, String key) {
        this.shared = shared;
        this.client = client;
        this.key = key;
    }

    @Override
    public void push(UUID missionId) {
        shared.sync().lpush(key, missionId.toString());
    }

    @Override
    public Optional<UUID> take(Duration timeout) throws InterruptedException {
        StatefulRedisConnection<String, String> connection;
        synchronized (this) {
            if (blocking == null || !blocking.isOpen()) {
                blocking = client.connect();
                // A blocking pop may wait for its whole timeout: the client's command timeout must outlast it.
                blocking.setTimeout(timeout.plusSeconds(5));
            }
            connection = blocking;
        }
        try {
            double seconds = Math.max(0.01, timeout.toMillis() / 1000.0);
            KeyValue<String, String> popped = connection.sync().brpop(seconds, key);
            if (popped == null || !popped.hasValue()) {
                return Optional.empty();
            }
            try {
                return Optional.of(UUID.fromString(popped.getValue()));
            } catch (IllegalArgumentException e) {
                log.warn("Dropped an entry of {} that is not a mission id", key);
                return Optional.empty();
            }
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

    @Override
    public long depth() {
        return shared.sync().llen(key);
    }

    @Override
    public synchronized void close() {
        if (blocking != null) {
            blocking.close();
            blocking = null;
        }
    }
}
