package io.askexpert.queue;

import java.util.UUID;

/**
 * The priority a mission is queued at when it is pushed without one (a re-queue after a pause, a
 * human's decision, a takeover), so that a mission keeps its priority every time it waits.
 * Implementation: the missions' own (it reads the mission's options); {@link #NORMAL} without one.
 */
@FunctionalInterface
public interface QueuePriorities {

    QueuePriority of(UUID missionId);

    QueuePriorities NORMAL = id -> QueuePriority.NORMAL;
}
