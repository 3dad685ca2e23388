package io.askexpert.missions;

import io.askexpert.budget.MissionBudget;
import io.askexpert.budget.ReservationRequest;
import io.askexpert.budget.ReserveOutcome;
import java.math.BigDecimal;
import java.util.UUID;

/**
 * The budget operations the engine needs, over the budget ledger: a mission's limit is opened when
 * it is created; every LLM or tool call reserves before it runs and settles after; what a mission
 * still holds when it ends is released.
 */
interface MissionBudgets {

    void open(String tenantId, UUID missionId, BigDecimal limitUsd);

    ReserveOutcome reserve(ReservationRequest request);

    void settle(UUID reservationId, BigDecimal actualUsd);

    /** Releases what the mission still holds (it ended), each reservation by compare-and-set; returns how many. */
    int releaseOpen(UUID missionId);

    MissionBudget budget(UUID missionId);

    void raiseLimit(UUID missionId, BigDecimal newLimitUsd);
}
