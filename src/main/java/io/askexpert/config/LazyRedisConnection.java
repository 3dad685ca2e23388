package io.askexpert.config;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;

/**
 * A connection that connects on first use instead of at start-up, so a process whose Redis is
 * down (or not up yet) still starts, serves {@code /health}, and reports Redis unhealthy. Once
 * connected, Lettuce's own reconnect takes over. While Redis is unreachable, connection attempts
 * are spaced by {@link #RETRY_INTERVAL} and calls in between fail at once.
 */
final class LazyRedisConnection implements InvocationHandler {

    static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

    private final RedisClient client;
    private final Clock clock;
    private volatile StatefulRedisConnection<String, String> connection;
    private long nextAttempt;

    private LazyRedisConnection(RedisClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @SuppressWarnings("unchecked")
    static StatefulRedisConnection<String, String> create(RedisClient client, Clock clock) {
        return (StatefulRedisConnection<String, String>) Proxy.newProxyInstance(
                LazyRedisConnection.class.getClassLoader(), new Class<?>[] {StatefulRedisConnection.class},
                new LazyRedisConnection(client, clock));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "equals" -> {
                return proxy == args[0];
            }
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            case "toString" -> {
                return "LazyRedisConnection[" + (connection == null ? "not connected" : "connected") + "]";
            }
            case "close", "closeAsync" -> {
                StatefulRedisConnection<String, String> current = connection;
                if (current == null) {
                    return method.getName().equals("close") ? null
                            : java.util.concurrent.CompletableFuture.completedFuture(null);
                }
                return call(current, method, args);
            }
            case "isOpen" -> {
                StatefulRedisConnection<String, String> current = connection;
                return current != null && current.isOpen();
            }
            default -> {
                return call(connection(), method, args);
            }
        }
    }

    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (connection != null) {
                return connection;
            }
            long now = clock.millis();
            if (now < nextAttempt) {
                throw new RedisConnectionException("Redis at REDIS_URL is unreachable (next attempt in "
                        + (nextAttempt - now) + " ms)");
            }
            nextAttempt = now + RETRY_INTERVAL.toMillis();
            connection = client.connect();
            return connection;
        }
    }

    private static Object call(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
