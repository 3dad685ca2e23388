package io.askexpert.runs;

import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.function.BiConsumer;

/** Publishes {@code <run id> <reason>} on one channel every instance subscribes to. */
final class RedisCancelSignal implements CancelSignal, AutoCloseable {

    static final String CHANNEL = "ask_expert_run_cancel";

    private final StatefulRedisConnection<String, String> connection;
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private volatile BiConsumer<String, String> receiver = (run, reason) -> { };

    RedisCancelSignal(StatefulRedisConnection<String, String> connection,
                      StatefulRedisPubSubConnection<String, String> pubSub) {
        this.connection = connection;
        this.pubSub = pubSub;
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                int space = message.indexOf(' ');
                if (CHANNEL.equals(channel) && space > 0) {
                    // Off Lettuce's event loop: the receiver's hooks issue Redis commands of their own,
                    // and a blocking command on the event loop would wait for itself.
                    Thread.ofVirtual().name("run-cancel").start(
                            () -> receiver.accept(message.substring(0, space), message.substring(space + 1)));
                }
            }
        });
        pubSub.sync().subscribe(CHANNEL);
    }

    @Override
    public void send(String runId, String reason) {
        try {
            connection.sync().publish(CHANNEL, runId + " " + reason);
        } catch (RedisException e) {
            throw new RunBackendUnavailable(e);
        }
    }

    @Override
    public void listen(BiConsumer<String, String> receiver) {
        this.receiver = receiver;
    }

    @Override
    public void close() {
        pubSub.close();
    }
}
