package io.askexpert.fusion;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stops the catalogue's background threads on close: interrupts them and waits up to a bound for
 * the task in progress, so a database read they started ends before the connection pool closes.
 */
final class ExecutorStop {

    private ExecutorStop() {
    }

    /**
     * Interrupts {@code executor}'s tasks and waits up to {@code wait} for them to end. Interrupted
     * while waiting, it stops waiting and keeps the interrupt for the caller.
     */
    static void stopAndWait(ExecutorService executor, Duration wait) {
        executor.shutdownNow();
        try {
            executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
