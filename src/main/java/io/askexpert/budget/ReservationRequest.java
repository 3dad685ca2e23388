package io.askexpert.budget;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/**
 * A reservation asked for.
 *
 * @param key the caller's stable name for the call (the same key again returns the same open reservation)
 */
public record ReservationRequest(String tenantId, UUID missionId, String key, BigDecimal amountUsd, String purpose) {

    public ReservationRequest {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(missionId, "missionId");
        Objects.requireNonNull(key, "key");
        if (amountUsd.signum() < 0) {
            throw new IllegalArgumentException("a reservation cannot be negative");
        }
    }
}
