package io.askexpert.api;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** api.md §8 health routes, in the exact shapes the runbook's scripts read. */
@RestController
class HealthRoutes {

    /** Liveness: answers while the process serves, whatever its dependencies do. */
    @GetMapping("/health")
    Map<String, String> health() {
        return Map.of("status", "healthy");
    }
}
