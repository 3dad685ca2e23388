package io.askexpert.missions;

import static io.askexpert.missions.MissionStatus.CANCELLED;
import static io.askexpert.missions.MissionStatus.COMPLETED;
import static io.askexpert.missions.MissionStatus.CREATED;
import static io.askexpert.missions.MissionStatus.FAILED;
import static io.askexpert.missions.MissionStatus.PAUSED;
import static io.askexpert.missions.MissionStatus.QUEUED;
import static io.askexpert.missions.MissionStatus.RUNNING;
import static io.askexpert.missions.MissionStatus.WAITING_FOR_HUMAN;

import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Every legal move of a mission (api.md §6), in one table. Anything not listed is
 * {@code 409 MISSION_STATE_CONFLICT}. Terminal states have no way out.
 */
final class MissionTransitions {

    private static final Map<MissionStatus, Set<MissionStatus>> LEGAL = new EnumMap<>(Map.of(
            // the first stream queues it; a mission can be cancelled before it ever ran
            CREATED, EnumSet.of(QUEUED, CANCELLED),
            // a worker takes it under a lease; MODE3_TIMEOUT can fail it while it waits for a worker
            QUEUED, EnumSet.of(RUNNING, PAUSED, CANCELLED, FAILED),
            // a checkpoint parks it; a lost lease or a takeover re-queues it; the executor ends it
            RUNNING, EnumSet.of(WAITING_FOR_HUMAN, QUEUED, PAUSED, CANCELLED, COMPLETED, FAILED),
            // a decision (or a checkpoint's timeout) re-queues it
            WAITING_FOR_HUMAN, EnumSet.of(QUEUED, PAUSED, CANCELLED),
            // resume: back to the queue, or back to waiting when a checkpoint is still pending
            PAUSED, EnumSet.of(QUEUED, WAITING_FOR_HUMAN, CANCELLED),
            COMPLETED, EnumSet.noneOf(MissionStatus.class),
            FAILED, EnumSet.noneOf(MissionStatus.class),
            CANCELLED, EnumSet.noneOf(MissionStatus.class)));

    private MissionTransitions() {
    }

    static boolean allowed(MissionStatus from, MissionStatus to) {
        return LEGAL.get(from).contains(to);
    }

    /** Returns normally when the move is legal; otherwise the 409 that names both states. */
    static void check(MissionStatus from, MissionStatus to) {
        if (!allowed(from, to)) {
            throw conflict(from, to);
        }
    }

    static AskExpertException conflict(MissionStatus from, MissionStatus to) {
        return new AskExpertException(ErrorCode.MISSION_STATE_CONFLICT,
                "a " + from.wireName() + " mission cannot become " + to.wireName(),
                Map.of("from", from.wireName(), "to", to.wireName()));
    }
}
