package io.askexpert.testsupport;

import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Redis logical database (1–15) on the machine's real Redis, flushed when handed out and when
 * closed. Production keys (`ask_expert_queue`, `session:*`) stay exact because each test class
 * gets its own database index instead of a key prefix. An index is claimed with a key in
 * database 0 ({@code ask_expert_test:db:<n>}, expiring after an hour in case a JVM dies), so test
 * JVMs running side by side on one machine never flush each other's database.
 */
public final class TestRedis implements AutoCloseable {

    private static final String HOST = System.getenv().getOrDefault("ASK_EXPERT_TEST_REDIS", "redis://127.0.0.1:6379");
    private static final int DATABASES = 15;
    private static final long CLAIM_SECONDS = 3600;

    private final String url;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisClient claimClient;
    private final StatefulRedisConnection<String, String> claims;
    private final String claimKey;
    private final String claimValue;

    private TestRedis(RedisClient claimClient, StatefulRedisConnection<String, String> claims, int index,
                      String claimValue) {
        this.claimClient = claimClient;
        this.claims = claims;
        this.claimKey = claimKey(index);
        this.claimValue = claimValue;
        this.url = HOST + "/" + index;
        this.client = RedisClient.create(url);
        this.connection = client.connect();
        connection.sync().flushdb();
    }

    private static String claimKey(int index) {
        return "ask_expert_test:db:" + index;
    }

    public static TestRedis create() {
        RedisClient claimClient = RedisClient.create(HOST + "/0");
        StatefulRedisConnection<String, String> claims = claimClient.connect();
        String value = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            int start = ThreadLocalRandom.current().nextInt(DATABASES);
            for (int i = 0; i < DATABASES; i++) {
                int index = 1 + (start + i) % DATABASES;
                if ("OK".equals(claims.sync().set(claimKey(index), value, SetArgs.Builder.nx().ex(CLAIM_SECONDS)))) {
                    return new TestRedis(claimClient, claims, index, value);
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        claims.close();
        claimClient.shutdown();
        throw new IllegalStateException("every Redis test database (1-" + DATABASES + ") is claimed by other tests");
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
        if (claimValue.equals(claims.sync().get(claimKey))) {
            claims.sync().del(claimKey);
        }
        claims.close();
        claimClient.shutdown();
    }
}
