package io.askexpert.queue;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

/** The embedded default's queue: a deque in this process, so only this process's workers take from it. */
final class InProcessMissionQueue implements MissionQueue {

    private final LinkedBlockingDeque<UUID> ids = new LinkedBlockingDeque<>();

    @Override
    public void push(UUID missionId) {
        ids.addFirst(missionId);
    }

    @Override
    public Optional<UUID> take(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(ids.pollLast(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public long depth() {
        return ids.size();
    }
}
