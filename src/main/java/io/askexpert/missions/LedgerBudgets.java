package io.askexpert.missions;

import io.askexpert.budget.BudgetLedger;
import io.askexpert.budget.MissionBudget;
import io.askexpert.budget.ReservationRequest;
import io.askexpert.budget.ReserveOutcome;
import java.math.BigDecimal;
import java.util.UUID;

/** {@link MissionBudgets} over the PostgreSQL {@link BudgetLedger}: atomic across instances. */
record LedgerBudgets(BudgetLedger ledger) implements MissionBudgets {

    @Override
    public void open(String tenantId, UUID missionId, BigDecimal limitUsd) {
        ledger.openMission(tenantId, missionId, limitUsd);
    }

    @Override
    public ReserveOutcome reserve(ReservationRequest request) {
        return ledger.reserve(request);
    }

    @Override
    public void settle(UUID reservationId, BigDecimal actualUsd) {
        ledger.settle(reservationId, actualUsd);
    }

    @Override
    public int releaseOpen(UUID missionId) {
        return ledger.releaseOpen(missionId);
    }

    @Override
    public MissionBudget budget(UUID missionId) {
        return ledger.missionBudget(missionId);
    }

    @Override
    public void raiseLimit(UUID missionId, BigDecimal newLimitUsd) {
        ledger.raiseMissionLimit(missionId, newLimitUsd);
    }
}
