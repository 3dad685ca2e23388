package io.askexpert.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract on a real Redis (a database index of its own), plus what the runbook relies on:
 * the waiting ids are the list {@code ask_expert_queue}, so {@code LLEN ask_expert_queue} counts them.
 */
class RedisMissionQueueIT extends MissionQueueContract {

    static final TestRedis REDIS = TestRedis.create();

    private final List<AutoCloseable> opened = new ArrayList<>();
    private RedisClient client;
    private StatefulRedisConnection<String, String> shared;
    private RedisMissionQueue queue;

    @BeforeEach
    void connect() {
        client = RedisClient.create(REDIS.url());
        shared = client.connect();
        shared.sync().del(MissionQueue.KEY, RedisMissionQueue.orderKey(MissionQueue.KEY), MissionQueue.KEY + ":seq");
        queue = new RedisMissionQueue(shared, client);
        opened.add(queue);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        shared.sync().del(MissionQueue.KEY, RedisMissionQueue.orderKey(MissionQueue.KEY), MissionQueue.KEY + ":seq");
        shared.close();
        client.shutdown();
    }

    @AfterAll
    static void release() {
        REDIS.close();
    }

    @Override
    MissionQueue queue() {
        return queue;
    }

    @Override
    MissionQueue queue(QueuePriorities priorities) {
        RedisMissionQueue q = new RedisMissionQueue(shared, client, MissionQueue.KEY, priorities);
        opened.add(q);
        return q;
    }

    @Override
    MissionQueue takerQueue() {
        RedisMissionQueue other = new RedisMissionQueue(shared, client);
        opened.add(other);
        return other;
    }

    @Test
    void the_runbook_llen_counts_the_waiting_missions() throws Exception {
        queue.push(UUID.randomUUID());
        queue.push(UUID.randomUUID());
        assertThat(shared.sync().llen("ask_expert_queue")).isEqualTo(2);
        queue.take(Duration.ofSeconds(1));
        assertThat(shared.sync().llen("ask_expert_queue")).isEqualTo(1);
    }

    @Test
    void llen_counts_every_priority_and_a_taken_id_leaves_both_keys() throws Exception {
        queue.push(UUID.randomUUID(), QueuePriority.LOW);
        UUID high = UUID.randomUUID();
        queue.push(high, QueuePriority.HIGH);
        queue.push(UUID.randomUUID(), QueuePriority.NORMAL);
        assertThat(shared.sync().llen("ask_expert_queue")).isEqualTo(3);
        assertThat(shared.sync().zcard("ask_expert_queue:order")).isEqualTo(3);
        assertThat(queue.take(Duration.ofSeconds(1))).contains(high);
        assertThat(shared.sync().llen("ask_expert_queue")).isEqualTo(2);
        assertThat(shared.sync().lrange("ask_expert_queue", 0, -1)).doesNotContain(high.toString());
        assertThat(shared.sync().zcard("ask_expert_queue:order")).isEqualTo(2);
    }

    @Test
    void an_id_pushed_only_to_the_list_by_an_older_instance_is_still_taken() throws Exception {
        UUID scored = UUID.randomUUID();
        UUID legacy = UUID.randomUUID();
        shared.sync().lpush(MissionQueue.KEY, legacy.toString());
        queue.push(scored, QueuePriority.LOW);
        assertThat(queue.take(Duration.ofSeconds(1))).contains(scored);
        assertThat(queue.take(Duration.ofSeconds(1))).contains(legacy);
        assertThat(queue.depth()).isZero();
    }

    @Test
    void an_entry_that_is_not_a_mission_id_is_dropped() throws Exception {
        shared.sync().lpush(MissionQueue.KEY, "not-a-uuid");
        assertThat(queue.take(Duration.ofSeconds(1))).isEmpty();
        assertThat(queue.depth()).isZero();
    }
}
