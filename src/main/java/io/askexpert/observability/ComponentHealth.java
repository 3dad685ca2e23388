package io.askexpert.observability;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What one {@link HealthCheck} found; {@code detail} is shown to anyone, so never a secret or URL. */
public record ComponentHealth(Status status, String detail) {

    public enum Status {
        HEALTHY, DEGRADED, UNHEALTHY, NOT_CONFIGURED;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static ComponentHealth healthy(String detail) {
        return new ComponentHealth(Status.HEALTHY, detail);
    }

    public static ComponentHealth degraded(String detail) {
        return new ComponentHealth(Status.DEGRADED, detail);
    }

    public static ComponentHealth unhealthy(String detail) {
        return new ComponentHealth(Status.UNHEALTHY, detail);
    }

    public static ComponentHealth notConfigured(String detail) {
        return new ComponentHealth(Status.NOT_CONFIGURED, detail);
    }
}
