package io.askexpert.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The embedded default's queue, in this process only: ids ordered by push time shifted by their
 * priority's aging ({@link QueuePriority}), then by push order.
 */
final class InProcessMissionQueue implements MissionQueue {

    private record Entry(long dueMillis, long seq, UUID id) {
    }

    private final PriorityBlockingQueue<Entry> ids = new PriorityBlockingQueue<>(16,
            Comparator.comparingLong(Entry::dueMillis).thenComparingLong(Entry::seq));
    private final AtomicLong seq = new AtomicLong();
    private final Clock clock;
    private final QueuePriorities priorities;

    InProcessMissionQueue() {
        this(Clock.systemUTC(), QueuePriorities.NORMAL);
    }

    InProcessMissionQueue(Clock clock) {
        this(clock, QueuePriorities.NORMAL);
    }

    InProcessMissionQueue(Clock clock, QueuePriorities priorities) {
        this.clock = clock;
        this.priorities = priorities;
    }

    @Override
    public void push(UUID missionId) {
        push(missionId, priorities.of(missionId));
    }

    @Override
    public void push(UUID missionId, QueuePriority priority) {
        ids.add(new Entry(clock.millis() + priority.aging().toMillis(), seq.incrementAndGet(), missionId));
    }

    @Override
    public Optional<UUID> take(Duration timeout) throws InterruptedException {
        Entry e = ids.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return e == null ? Optional.empty() : Optional.of(e.id());
    }

    @Override
    public long depth() {
        return ids.size();
    }
}
