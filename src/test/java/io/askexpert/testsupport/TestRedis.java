package io.askexpert.testsupport;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Redis logical database (1–15) on the machine's real Redis, flushed when handed out and when
 * closed. Production keys (`ask_expert_queue`, `session:*`) stay exact because each test class
 * gets its own database index instead of a key prefix.
 */
public final class TestRedis implements AutoCloseable {

    private static final String HOST = System.getenv().getOrDefault("ASK_EXPERT_TEST_REDIS", "redis://127.0.0.1:6379");

    private final String url;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private TestRedis(String url) {
        this.url = url;
        this.client = RedisClient.create(url);
        this.connection = client.connect();
        connection.sync().flushdb();
    }

    public static TestRedis create() {
        return new TestRedis(HOST + "/" + ThreadLocalRandom.current().nextInt(1, 16));
    }

    /** The URL to hand to the service as {@code REDIS_URL}. */
    public String url() {
        return url;
    }

    public StatefulRedisConnection<String, String> connection() {
        return connection;
    }

    @Override
    public void close() {
        connection.sync().flushdb();
        connection.close();
        client.shutdown();
    }
}
