package io.askexpert.interactive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class RowWritesTest {

    @Test
    void past_its_limit_a_start_is_refused_at_once_with_503_and_accepted_again_once_a_write_ends() throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            RowWrites rows = new RowWrites(2, executor);
            CountDownLatch database = new CountDownLatch(1);
            Runnable slow = () -> {
                try {
                    database.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            CompletableFuture<Void> first = rows.submit(slow);
            CompletableFuture<Void> second = rows.submit(slow);
            assertThatThrownBy(() -> rows.submit(() -> { }))
                    .isInstanceOfSatisfying(AskExpertException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNAVAILABLE));
            database.countDown();
            CompletableFuture.allOf(first, second).join();
            rows.submit(() -> { }).join();
        }
    }

    @Test
    void a_failed_write_fails_its_future_and_frees_its_place() {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            RowWrites rows = new RowWrites(1, executor);
            CompletableFuture<Void> failed = rows.submit(() -> {
                throw new IllegalStateException("database down");
            });
            assertThatThrownBy(failed::join).hasCauseInstanceOf(IllegalStateException.class);
            rows.submit(() -> { }).join();
        }
    }
}
