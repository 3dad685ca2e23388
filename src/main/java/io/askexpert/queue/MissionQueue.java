package io.askexpert.queue;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Mission ids waiting for a worker, oldest first within a priority, a higher priority first within
 * its aging window ({@link QueuePriority}). The queue is only a wake-up: the mission's row
 * in PostgreSQL says whether it still wants a worker, and taking it is a lease there. So an id may
 * be delivered twice (harmless: the second taker finds it leased) or lost with a crashed worker
 * (the lease reaper pushes it again).
 * Implementations: {@code RedisMissionQueue} (the runbook's list {@code ask_expert_queue} holds every
 * waiting id, so {@code LLEN ask_expert_queue} shows the waiting missions; a sorted set beside it,
 * {@code ask_expert_queue:order}, decides which is taken next) and {@code InProcessMissionQueue}.
 */
public interface MissionQueue {

    /** The Redis key the runbook names. */
    String KEY = "ask_expert_queue";

    /** Pushes with {@link QueuePriority#NORMAL}: re-queues after a pause, a decision or a takeover. */
    void push(UUID missionId);

    /** Pushes at a priority; a queue without priorities (a test double) pushes it as any other. */
    default void push(UUID missionId, QueuePriority priority) {
        push(missionId);
    }

    /** The next waiting id (highest priority, then oldest), waiting up to {@code timeout} for one; empty when none came. */
    Optional<UUID> take(Duration timeout) throws InterruptedException;

    /** How many ids wait now ({@code ask_expert_queue_depth}). */
    long depth();
}
