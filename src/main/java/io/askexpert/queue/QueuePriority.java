package io.askexpert.queue;

import java.time.Duration;

/**
 * How soon a waiting mission is taken (api.md §6.2 {@code options.priority}). The queue orders ids
 * by the time they were pushed shifted by {@link #aging()}: a {@code high} one is taken before
 * {@code normal} ones pushed up to five minutes before it, a {@code low} one after {@code normal} ones
 * pushed up to five minutes after it. Past that shift plain age wins, so no priority waits forever
 * behind a steady stream of higher ones (aging instead of strict lanes).
 */
public enum QueuePriority {
    LOW(Duration.ofMinutes(5)), NORMAL(Duration.ZERO), HIGH(Duration.ofMinutes(-5));

    private final Duration aging;

    QueuePriority(Duration aging) {
        this.aging = aging;
    }

    /** Added to the push time to order the queue: negative moves the id forward. */
    public Duration aging() {
        return aging;
    }
}
