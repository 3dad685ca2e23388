package io.askexpert.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every {@link MissionQueue} promises: oldest first, a timed wait, a depth, each entry taken once. */
abstract class MissionQueueContract {

    abstract MissionQueue queue();

    @Test
    void takes_the_oldest_id_first_and_counts_what_waits() throws Exception {
        MissionQueue q = queue();
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        q.push(a);
        q.push(b);
        assertThat(q.depth()).isEqualTo(2);
        assertThat(q.take(Duration.ofSeconds(1))).contains(a);
        assertThat(q.take(Duration.ofSeconds(1))).contains(b);
        assertThat(q.depth()).isZero();
    }

    @Test
    void an_empty_queue_answers_empty_after_the_wait() throws Exception {
        assertThat(queue().take(Duration.ofMillis(200))).isEmpty();
    }

    @Test
    void a_waiting_taker_gets_an_id_pushed_while_it_waits() throws Exception {
        MissionQueue q = queue();
        UUID id = UUID.randomUUID();
        CountDownLatch taken = new CountDownLatch(1);
        List<Optional<UUID>> got = new ArrayList<>();
        Thread taker = Thread.ofVirtual().start(() -> {
            try {
                got.add(q.take(Duration.ofSeconds(5)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            taken.countDown();
        });
        Thread.sleep(100);
        q.push(id);
        assertThat(taken.await(10, TimeUnit.SECONDS)).isTrue();
        taker.join();
        assertThat(got).containsExactly(Optional.of(id));
    }

    @Test
    void each_entry_is_taken_once_by_concurrent_takers() throws Exception {
        MissionQueue q = queue();
        Set<UUID> pushed = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 50; i++) {
            UUID id = UUID.randomUUID();
            pushed.add(id);
            q.push(id);
        }
        List<UUID> took = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> takers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            MissionQueue own = takerQueue();
            takers.add(Thread.ofVirtual().start(() -> {
                try {
                    for (Optional<UUID> id = own.take(Duration.ofMillis(300)); id.isPresent();
                         id = own.take(Duration.ofMillis(300))) {
                        took.add(id.get());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : takers) {
            t.join();
        }
        assertThat(took).hasSize(50).doesNotHaveDuplicates();
        assertThat(Set.copyOf(took)).isEqualTo(pushed);
    }

    @Test
    void takes_high_before_normal_before_low_and_each_priority_oldest_first() throws Exception {
        MissionQueue q = queue();
        UUID low = UUID.randomUUID();
        UUID normal1 = UUID.randomUUID();
        UUID high1 = UUID.randomUUID();
        UUID normal2 = UUID.randomUUID();
        UUID high2 = UUID.randomUUID();
        q.push(low, QueuePriority.LOW);
        q.push(normal1, QueuePriority.NORMAL);
        q.push(high1, QueuePriority.HIGH);
        q.push(normal2);
        q.push(high2, QueuePriority.HIGH);
        assertThat(q.depth()).isEqualTo(5);
        List<UUID> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            q.take(Duration.ofSeconds(1)).ifPresent(order::add);
        }
        assertThat(order).containsExactly(high1, high2, normal1, normal2, low);
        assertThat(q.depth()).isZero();
    }

    @Test
    void a_push_without_a_priority_uses_the_missions_own() throws Exception {
        UUID normal = UUID.randomUUID();
        UUID high = UUID.randomUUID();
        MissionQueue q = queue(id -> id.equals(high) ? QueuePriority.HIGH : QueuePriority.NORMAL);
        q.push(normal);
        q.push(high);
        assertThat(q.take(Duration.ofSeconds(1))).contains(high);
        assertThat(q.take(Duration.ofSeconds(1))).contains(normal);
    }

    /** A queue that looks the priorities of pushes without one up in {@code priorities}. */
    abstract MissionQueue queue(QueuePriorities priorities);

    /** A queue over the same entries for one more taker (another worker process, for Redis). */
    abstract MissionQueue takerQueue();
}
