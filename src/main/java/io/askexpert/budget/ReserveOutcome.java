package io.askexpert.budget;

import java.math.BigDecimal;

/** The answer to a reservation: held, or refused by the mission's or the tenant's limit. */
public sealed interface ReserveOutcome {

    record Reserved(Reservation reservation) implements ReserveOutcome {
    }

    /** {@code committedUsd}: spent plus reserved under that limit before this request. */
    record Refused(BudgetScope scope, BigDecimal limitUsd, BigDecimal committedUsd, BigDecimal requestedUsd)
            implements ReserveOutcome {
    }
}
