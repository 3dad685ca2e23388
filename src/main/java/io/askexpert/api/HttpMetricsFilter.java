package io.askexpert.api;

import io.askexpert.observability.HttpMetrics;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Counts every answer, including those refused by later filters. For a stream the duration is
 * the time until the stream started (a 10-minute mission stream is not latency) and the count is
 * taken when it ends, with its final status.
 */
final class HttpMetricsFilter extends OncePerRequestFilter {

    static final String UNMATCHED = "unmatched";

    private final HttpMetrics metrics;

    HttpMetricsFilter(HttpMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            record(request, 500, Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        if (!request.isAsyncStarted()) {
            record(request, response.getStatus(), elapsed);
            return;
        }
        request.getAsyncContext().addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                record(request, response.getStatus(), elapsed);
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                // onComplete follows and records.
            }

            @Override
            public void onError(AsyncEvent event) {
                // onComplete follows and records.
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
                event.getAsyncContext().addListener(this);
            }
        });
    }

    private void record(HttpServletRequest request, int status, Duration duration) {
        metrics.record(request.getMethod().toUpperCase(Locale.ROOT), route(request), status, duration);
    }

    static String route(HttpServletRequest request) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (pattern == null) {
            return UNMATCHED;
        }
        String route = pattern.toString();
        return route.equals("/**") || route.equals("/error") ? UNMATCHED : route;
    }
}
