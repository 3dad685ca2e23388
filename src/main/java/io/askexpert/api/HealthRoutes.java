package io.askexpert.api;

import io.askexpert.config.Mode;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.observability.SystemHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** api.md §8 health routes, in the exact shapes the runbook's scripts read. */
@RestController
class HealthRoutes {

    private final SystemHealth health;
    private final ApplicationAvailability availability;

    HealthRoutes(SystemHealth health, ApplicationAvailability availability) {
        this.health = health;
        this.availability = availability;
    }

    /**
     * Answers 200 while the process serves, whatever its dependencies do; 503 {@code starting}
     * until start-up has finished (the starter content loaded and the routing snapshot holding the
     * catalogue), so a probe never sends questions to an instance that cannot route them yet.
     */
    @GetMapping("/health")
    ResponseEntity<Map<String, String>> health() {
        boolean ready = availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC;
        return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("status", ready ? "healthy" : "starting"));
    }

    @GetMapping("/health/detailed")
    ResponseEntity<Map<String, Object>> detailed() {
        SystemHealth.Report report = health.report();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.status());
        body.putAll(report.components());
        body.put("checks", report.checks());
        return ResponseEntity.status(report.serving() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }

    @GetMapping("/api/v1/expert/mode{mode}/health")
    ResponseEntity<Map<String, Object>> mode(@PathVariable String mode) {
        Mode n = switch (mode) {
            case "1" -> Mode.MODE1;
            case "2" -> Mode.MODE2;
            case "3" -> Mode.MODE3;
            case "4" -> Mode.MODE4;
            default -> throw new AskExpertException(ErrorCode.NOT_FOUND, "there is no mode " + mode + " (modes are 1-4)",
                    Map.of("field", "mode"));
        };
        SystemHealth.ModeReport report = health.mode(n);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", report.available() ? "healthy" : "unavailable");
        body.put("mode", report.name());
        body.put("features", report.features());
        if (!report.available()) {
            body.put("reasons", report.reasons());
        }
        return ResponseEntity.status(report.available() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }
}
