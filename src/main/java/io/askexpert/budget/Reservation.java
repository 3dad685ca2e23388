package io.askexpert.budget;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/** Money held for one call until it is settled or released. */
public record Reservation(UUID id, UUID missionId, BigDecimal amountUsd) {

    public Reservation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(missionId, "missionId");
        Objects.requireNonNull(amountUsd, "amountUsd");
    }
}
