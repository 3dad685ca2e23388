package io.askexpert.runs;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.TestRedis;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedisEventLogIT extends EventLogContract {

    private final TestRedis redis = TestRedis.create();
    private final RedisClient client = RedisClient.create(redis.url());
    private final List<RedisEventLog> logs = new ArrayList<>();

    @Override
    EventLog log() {
        RedisEventLog log = new RedisEventLog(client.connect(), client.connectPubSub(), Duration.ofHours(1));
        logs.add(log);
        return log;
    }

    @AfterEach
    void close() {
        logs.forEach(RedisEventLog::close);
        client.shutdown();
        redis.close();
    }

    @Test
    void a_reader_on_another_instance_is_woken_by_the_append() throws Exception {
        EventLog writer = log();
        EventLog reader = log();
        var next = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> reader.readAfter("shared", 0, 10, Duration.ofSeconds(10)));
        Thread.sleep(100);
        writer.append("shared", new RunEvent.Token("hello", 0));
        assertThat(next.get()).extracting(Sequenced::data).containsExactly("{\"content\":\"hello\",\"tokenIndex\":0}");
    }

    @Test
    void events_expire_with_the_retention_given() {
        EventLog log = log();
        log.append("gone", new RunEvent.Token("a", 0));
        log.retain("gone", Duration.ofMinutes(10));
        long ttl = redis.connection().sync().pttl(RedisEventLog.eventsKey("gone"));
        assertThat(ttl).isBetween(Duration.ofMinutes(9).toMillis(), Duration.ofMinutes(10).toMillis());
    }
}
