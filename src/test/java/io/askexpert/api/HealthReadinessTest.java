package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.support.StaticApplicationContext;

/** {@code /health} says ready only once start-up has finished (routing snapshot included). */
class HealthReadinessTest {

    @Test
    void health_is_503_starting_until_the_service_accepts_traffic() {
        ApplicationAvailabilityBean availability = new ApplicationAvailabilityBean();
        HealthRoutes routes = new HealthRoutes(null, availability);
        assertThat(routes.health().getStatusCode().value()).isEqualTo(503);
        assertThat(routes.health().getBody()).containsEntry("status", "starting");
        availability.onApplicationEvent(new AvailabilityChangeEvent<>(new StaticApplicationContext(),
                ReadinessState.ACCEPTING_TRAFFIC));
        assertThat(routes.health().getStatusCode().value()).isEqualTo(200);
        assertThat(routes.health().getBody()).containsEntry("status", "healthy");
    }
}
