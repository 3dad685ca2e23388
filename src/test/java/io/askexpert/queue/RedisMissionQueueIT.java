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
        shared.sync().del(MissionQueue.KEY);
        queue = new RedisMissionQueue(shared, client);
        opened.add(queue);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
        shared.sync().del(MissionQueue.KEY);
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
    void an_entry_that_is_not_a_mission_id_is_dropped() throws Exception {
        shared.sync().lpush(MissionQueue.KEY, "not-a-uuid");
        assertThat(queue.take(Duration.ofSeconds(1))).isEmpty();
        assertThat(queue.depth()).isZero();
    }
}
