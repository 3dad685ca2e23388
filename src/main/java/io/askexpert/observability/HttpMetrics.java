package io.askexpert.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * The series the runbook's alerts read: {@code http_requests_total{method,route,status}} and
 * {@code http_request_duration_seconds_bucket{…}} (the {@code service} label is the registry's
 * common tag). {@code route} is the matched pattern, never the raw path, so ids cannot explode
 * the number of series.
 */
@Component
public class HttpMetrics {

    static final String REQUESTS = "http.requests";
    static final String DURATION = "http.request.duration";

    private final MeterRegistry registry;

    public HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String method, String route, int status, Duration duration) {
        String code = String.valueOf(status);
        Counter.builder(REQUESTS).description("HTTP requests answered")
                .tags("method", method, "route", route, "status", code)
                .register(registry).increment();
        Timer.builder(DURATION).description("Time to answer (for streams: until the stream started)")
                .tags("method", method, "route", route, "status", code)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(120))
                .register(registry).record(duration);
    }
}
