package io.askexpert.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** A mission's budget now: its limit, what was spent and what is reserved by calls in flight. */
public record MissionBudget(BigDecimal limitUsd, BigDecimal spentUsd, BigDecimal reservedUsd) {

    public BigDecimal remaining() {
        return limitUsd.subtract(spentUsd).subtract(reservedUsd);
    }

    /** Spent plus reserved as a fraction of the limit (0.8 = 80 %); a zero limit is used up from the start. */
    public double usedFraction() {
        if (limitUsd.signum() == 0) {
            return 1.0;
        }
        return spentUsd.add(reservedUsd).divide(limitUsd, 6, RoundingMode.HALF_UP).doubleValue();
    }
}
