package io.askexpert.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.testsupport.TcpProxy;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Redis may be down when the process starts: the connection is made on first use, not before. */
class LazyRedisConnectionIT {

    static final String REDIS = System.getenv().getOrDefault("ASK_EXPERT_TEST_REDIS", "redis://127.0.0.1:6379");

    @Test
    void unreachable_redis_fails_calls_not_construction() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + closedPort);
        try {
            StatefulRedisConnection<String, String> connection = LazyRedisConnection.create(client, Clock.systemUTC());
            assertThat(connection.isOpen()).isFalse();
            assertThatThrownBy(() -> connection.sync().ping()).isInstanceOf(RedisConnectionException.class);
            // Within the retry interval the next call fails at once with a message naming the variable.
            assertThatThrownBy(() -> connection.sync().ping()).isInstanceOf(RedisConnectionException.class)
                    .hasMessageContaining("REDIS_URL");
            connection.close();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void connects_on_first_use_and_closes() throws Exception {
        URI uri = URI.create(REDIS);
        try (TcpProxy proxy = new TcpProxy(uri.getHost(), uri.getPort())) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + proxy.port());
            try {
                StatefulRedisConnection<String, String> connection = LazyRedisConnection.create(client, Clock.systemUTC());
                assertThat(connection.isOpen()).isFalse();
                assertThat(connection.sync().ping()).isEqualTo("PONG");
                assertThat(connection.isOpen()).isTrue();
                connection.close();
                assertThat(connection.isOpen()).isFalse();
            } finally {
                client.shutdown();
            }
        }
    }
}
