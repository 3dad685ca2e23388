package io.askexpert.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What every {@link RunLock} promises; one subclass per backend. */
abstract class RunLockContract {

    abstract RunLock lock();

    private final String session = UUID.randomUUID().toString();

    @Test
    void one_owner_at_a_time() {
        RunLock lock = lock();
        assertThat(lock.tryAcquire(session, "run-a", Duration.ofMinutes(1))).isTrue();
        assertThat(lock.tryAcquire(session, "run-b", Duration.ofMinutes(1))).isFalse();
        assertThat(lock.holder(session)).contains("run-a");
    }

    @Test
    void only_the_owner_releases() {
        RunLock lock = lock();
        lock.tryAcquire(session, "run-a", Duration.ofMinutes(1));
        assertThat(lock.release(session, "run-b")).isFalse();
        assertThat(lock.holder(session)).contains("run-a");
        assertThat(lock.release(session, "run-a")).isTrue();
        assertThat(lock.holder(session)).isEmpty();
        assertThat(lock.tryAcquire(session, "run-b", Duration.ofMinutes(1))).isTrue();
    }

    @Test
    void an_expired_lock_can_be_taken() {
        RunLock lock = lock();
        lock.tryAcquire(session, "run-a", Duration.ofMillis(1));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2))
                .until(() -> lock.tryAcquire(session, "run-b", Duration.ofMinutes(1)));
        assertThat(lock.holder(session)).contains("run-b");
    }

    @Test
    void of_many_concurrent_takers_exactly_one_wins() {
        RunLock lock = lock();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Boolean>> tries = IntStream.range(0, 50)
                    .mapToObj(i -> CompletableFuture.supplyAsync(
                            () -> lock.tryAcquire(session, "run-" + i, Duration.ofMinutes(1)), pool))
                    .toList();
            assertThat(tries.stream().filter(CompletableFuture::join).count()).isEqualTo(1);
        }
    }
}
