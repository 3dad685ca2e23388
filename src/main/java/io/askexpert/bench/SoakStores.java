package io.askexpert.bench;

import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

/**
 * The soak's own PostgreSQL database and Redis index on the machine's shared servers: a scratch
 * database created for the run and dropped after it, and a Redis logical database claimed the way
 * the integration tests claim theirs (a key in database 0 that expires), so test JVMs running at
 * the same time never flush it and the soak never flushes theirs.
 */
final class SoakStores implements AutoCloseable {

    private static final int REDIS_DATABASES = 15;

    private final String serverUrl;
    private final String database;
    private final RedisClient redis;
    private final StatefulRedisConnection<String, String> claims;
    private final int redisIndex;
    private final String claimValue;
    private final String redisUrl;

    private SoakStores(String serverUrl, String database, RedisClient redis, StatefulRedisConnection<String, String> claims,
                       int redisIndex, String claimValue, String redisUrl) {
        this.serverUrl = serverUrl;
        this.database = database;
        this.redis = redis;
        this.claims = claims;
        this.redisIndex = redisIndex;
        this.claimValue = claimValue;
        this.redisUrl = redisUrl;
    }

    /** Creates the database and claims a Redis index for at most {@code lease}. */
    static SoakStores create(String serverUrl, String redisServer, Duration lease) throws IOException {
        String database = "askexpert_soak_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        admin(serverUrl, "CREATE DATABASE " + database);
        RedisClient redis = RedisClient.create(redisServer + "/0");
        try {
            StatefulRedisConnection<String, String> claims = redis.connect();
            String value = "soak-" + UUID.randomUUID();
            for (int i = 1; i <= REDIS_DATABASES; i++) {
                int index = REDIS_DATABASES + 1 - i;
                if ("OK".equals(claims.sync().set(claimKey(index), value, SetArgs.Builder.nx().ex(lease.toSeconds())))) {
                    String url = redisServer + "/" + index;
                    flush(url);
                    return new SoakStores(serverUrl, database, redis, claims, index, value, url);
                }
            }
            throw new IOException("every Redis database 1-" + REDIS_DATABASES + " is claimed by a test run");
        } catch (RuntimeException | IOException e) {
            redis.shutdown();
            admin(serverUrl, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            throw e instanceof IOException io ? io : new IOException("Redis: " + e.getMessage(), e);
        }
    }

    /** {@code DATABASE_URL} for the service. */
    String databaseUrl() {
        return serverUrl + database + "?user=postgres";
    }

    String redisUrl() {
        return redisUrl;
    }

    String describe() {
        return "PostgreSQL database " + database + ", Redis database " + redisIndex;
    }

    private static String claimKey(int index) {
        return "ask_expert_test:db:" + index;
    }

    private static void flush(String url) {
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().flushdb();
        } finally {
            client.shutdown();
        }
    }

    private static void admin(String serverUrl, String sql) throws IOException {
        try (Connection c = DriverManager.getConnection(serverUrl + "postgres?user=postgres");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IOException("PostgreSQL at " + serverUrl + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            flush(redisUrl);
            if (claimValue.equals(claims.sync().get(claimKey(redisIndex)))) {
                claims.sync().del(claimKey(redisIndex));
            }
            claims.close();
        } finally {
            redis.shutdown();
            admin(serverUrl, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }
}
