package io.askexpert.observability;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.config.Mode;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Runs every {@link HealthCheck} in parallel, each under {@link #CHECK_TIMEOUT}, and folds the
 * results into the service's and each mode's status. A check that throws or hangs is unhealthy;
 * nothing here ever fails the health route itself.
 */
@Service
public class SystemHealth {

    public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);
    /** Components api.md §8 lists as top-level keys of {@code /health/detailed}. */
    static final List<String> TOP_LEVEL = List.of("database", "redis", "llm", "vector_index", "queue");

    private final ObjectProvider<HealthCheck> checks;
    private final AskExpertSettings settings;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

    public SystemHealth(ObjectProvider<HealthCheck> checks, AskExpertSettings settings) {
        this.checks = checks;
        this.settings = settings;
    }

    /** One check's result as {@code checks.<name>} shows it. */
    public record CheckResult(ComponentHealth.Status status, @JsonProperty("latency_ms") long latencyMs,
                              String detail, @JsonProperty("required") boolean required,
                              @JsonProperty("modes") List<Integer> modes) {
    }

    /** The whole picture: overall status, the runbook's top-level keys and every check. */
    public record Report(ComponentHealth.Status status, Map<String, ComponentHealth.Status> components,
                         Map<String, CheckResult> checks) {
        /** HTTP 503 only when a required component is down. */
        public boolean serving() {
            return status != ComponentHealth.Status.UNHEALTHY;
        }
    }

    /** A mode's availability and why not, with its feature switches. */
    public record ModeReport(Mode mode, boolean available, List<String> reasons, Map<String, Object> features) {
        /** {@code mode1_manual_interactive} …, as the mode's health route names it. */
        public String name() {
            return mode.wireName();
        }
    }

    public Report report() {
        Map<String, CheckResult> results = run();
        boolean requiredDown = results.values().stream()
                .anyMatch(r -> r.required() && r.status() == ComponentHealth.Status.UNHEALTHY);
        boolean anyDown = results.values().stream().anyMatch(r -> r.status() == ComponentHealth.Status.UNHEALTHY
                || r.status() == ComponentHealth.Status.DEGRADED);
        ComponentHealth.Status overall = requiredDown ? ComponentHealth.Status.UNHEALTHY
                : anyDown ? ComponentHealth.Status.DEGRADED : ComponentHealth.Status.HEALTHY;
        Map<String, ComponentHealth.Status> components = new LinkedHashMap<>();
        for (String name : TOP_LEVEL) {
            CheckResult result = results.get(name);
            components.put(name, result == null ? ComponentHealth.Status.NOT_CONFIGURED : result.status());
        }
        return new Report(overall, components, results);
    }

    public ModeReport mode(Mode mode) {
        List<String> reasons = new ArrayList<>();
        AskExpertSettings.Features flags = settings.features();
        if (mode == Mode.MODE4 && !flags.mode4Enabled()) {
            reasons.add("disabled by FF_MODE4_ENABLED=false");
        }
        if (!mode.interactive() && !settings.runsWorker() && !settings.servesApi()) {
            reasons.add("this process runs neither the API nor workers");
        }
        run().forEach((name, result) -> {
            if (result.status() == ComponentHealth.Status.UNHEALTHY && result.modes().contains(mode.number())) {
                reasons.add(name + " is unhealthy");
            }
        });
        return new ModeReport(mode, reasons.isEmpty(), reasons, features(mode, flags));
    }

    private Map<String, Object> features(Mode mode, AskExpertSettings.Features flags) {
        Map<String, Object> features = new LinkedHashMap<>();
        features.put("streaming", true);
        features.put("timeout_s", settings.modes().timeout(mode).toSeconds());
        if (mode.fusionChoosesExperts()) {
            features.put("fusion", true);
            features.put("fusion_synergy", flags.fusionSynergy());
            features.put("fusion_fallback", settings.fusion().fallbackEnabled());
        }
        if (!mode.interactive()) {
            features.put("hitl_strict", flags.hitlStrict());
            features.put("cost_tracking", flags.costTracking());
        }
        if (mode == Mode.MODE4) {
            features.put("mode4_enabled", flags.mode4Enabled());
        }
        return features;
    }

    private Map<String, CheckResult> run() {
        List<HealthCheck> all = checks.orderedStream().toList();
        // Not closed here: closing would wait for a hung check, which is what the deadline is for.
        List<Future<CheckResult>> futures = all.stream().map(check -> pool.submit(() -> timed(check))).toList();
        long deadline = System.nanoTime() + CHECK_TIMEOUT.toNanos();
        Map<String, CheckResult> results = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            HealthCheck check = all.get(i);
            results.put(check.name(), await(futures.get(i), check, deadline));
        }
        return results;
    }

    @PreDestroy
    void close() {
        pool.shutdownNow();
    }

    private static CheckResult await(Future<CheckResult> future, HealthCheck check, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return result(check, ComponentHealth.unhealthy("no answer within " + CHECK_TIMEOUT.toMillis() + " ms"),
                    CHECK_TIMEOUT.toMillis());
        } catch (ExecutionException e) {
            return result(check, ComponentHealth.unhealthy("check failed: " + e.getCause().getClass().getSimpleName()), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result(check, ComponentHealth.unhealthy("check interrupted"), 0);
        }
    }

    private static CheckResult timed(HealthCheck check) {
        long start = System.nanoTime();
        ComponentHealth health;
        try {
            health = check.check();
        } catch (RuntimeException e) {
            // Exception messages can carry connection strings: only the type is shown.
            health = ComponentHealth.unhealthy("check failed: " + e.getClass().getSimpleName());
        }
        return result(check, health, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private static CheckResult result(HealthCheck check, ComponentHealth health, long latencyMs) {
        return new CheckResult(health.status(), latencyMs, health.detail(), check.required(),
                check.modes().stream().map(Mode::number).sorted().toList());
    }
}
