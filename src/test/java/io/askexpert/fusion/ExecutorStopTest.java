package io.askexpert.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ExecutorStopTest {

    @Test
    void interrupts_the_task_in_progress_and_waits_for_it_to_end() throws InterruptedException {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        executor.execute(() -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                finished.set(true);
            }
        });
        started.await();

        ExecutorStop.stopAndWait(executor, Duration.ofSeconds(10));

        assertThat(executor.isTerminated()).isTrue();
        assertThat(finished).isTrue();
    }

    @Test
    void interrupted_while_waiting_it_returns_and_keeps_the_interrupt() throws InterruptedException {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        executor.execute(() -> {
            // Ignores the interrupt, as a read that cannot be cancelled would.
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    // keep waiting
                }
            }
        });

        Thread.currentThread().interrupt();
        ExecutorStop.stopAndWait(executor, Duration.ofSeconds(10));

        assertThat(Thread.interrupted()).isTrue();
        assertThat(executor.isTerminated()).isFalse();
        release.countDown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
}
