package io.askexpert.api;

import io.askexpert.auth.TenantContext;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.errors.ErrorCode;
import io.askexpert.ratelimit.ConcurrencyLimiter;
import io.askexpert.ratelimit.RateLimit;
import io.askexpert.ratelimit.RateLimitDecision;
import io.askexpert.ratelimit.RateLimiter;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * api.md §3, per tenant+user: request rates for the limited categories and the number of
 * concurrent mission streams. Allowed and refused answers carry {@code X-RateLimit-*}; a refusal
 * is {@code 429 RATE_LIMIT_EXCEEDED} with {@code Retry-After}. If the limiter's store fails the
 * request passes (the health check reports the store), since refusing everything would turn a
 * cache outage into a full outage.
 */
final class RateLimits extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RateLimits.class);
    /** A mission stream slot lapses after the longest mission timeout plus this margin. */
    private static final Duration LEASE_MARGIN = Duration.ofMinutes(1);
    /** How long a refused stream client is told to wait before trying again. */
    private static final long STREAM_RETRY_SECONDS = 5;

    enum Category {
        INTERACTIVE("POST", "/api/v1/expert/mode[12]/(stream|query)|/api/v1/expert/mode2/fusion/select",
                AskExpertSettings.RateLimits::interactivePerMinute),
        MISSION_CREATE("POST", "/api/v1/expert/mode[34]/mission/create",
                AskExpertSettings.RateLimits::missionCreatePerMinute),
        MISSION_STREAM("POST", "/api/v1/expert/mode[34]/stream", AskExpertSettings.RateLimits::missionStreams),
        MISSION_STATUS("GET", "/api/v1/expert/mode4/mission/[^/]+/status|/api/v1/expert/mission/status/[^/]+",
                AskExpertSettings.RateLimits::missionStatusPerMinute),
        AGENT_LIST("GET", "/api/v1/expert/agents", AskExpertSettings.RateLimits::agentListPerMinute);

        private final String method;
        private final Pattern path;
        private final ToIntFunction<AskExpertSettings.RateLimits> limit;

        Category(String method, String path, ToIntFunction<AskExpertSettings.RateLimits> limit) {
            this.method = method;
            this.path = Pattern.compile(path);
            this.limit = limit;
        }

        static Optional<Category> of(String method, String path) {
            return List.of(values()).stream()
                    .filter(c -> c.method.equals(method) && c.path.matcher(path).matches()).findFirst();
        }

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final AskExpertSettings.RateLimits settings;
    private final Duration streamLease;
    private final RateLimiter rates;
    private final ConcurrencyLimiter streams;
    private final ErrorResponses errors;
    private final Clock clock;

    RateLimits(AskExpertSettings settings, RateLimiter rates, ConcurrencyLimiter streams, ErrorResponses errors,
               Clock clock) {
        this.settings = settings.rateLimits();
        this.streamLease = max(settings.modes().mode3Timeout(), settings.modes().mode4Timeout()).plus(LEASE_MARGIN);
        this.rates = rates;
        this.streams = streams;
        this.errors = errors;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !settings.enabled();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        TenantContext tenant = Authentication.current(request);
        Optional<Category> category = tenant == null ? Optional.empty()
                : Category.of(request.getMethod(), request.getRequestURI().substring(request.getContextPath().length()));
        if (category.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        Category c = category.get();
        String key = c.key() + ":" + encode(tenant.tenantId()) + ":" + encode(tenant.userId());
        int limit = c.limit.applyAsInt(settings);
        if (c == Category.MISSION_STREAM) {
            limitStreams(request, response, chain, key, limit);
        } else {
            limitRate(request, response, chain, c, key, limit);
        }
    }

    private void limitRate(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                           Category category, String key, int limit) throws ServletException, IOException {
        RateLimitDecision decision;
        try {
            decision = rates.acquire(key, RateLimit.perMinute(limit));
        } catch (RuntimeException e) {
            log.warn("rate limiter unavailable, letting the request through: {}", e.toString());
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("X-RateLimit-Limit", String.valueOf(decision.limit()));
        response.setHeader("X-RateLimit-Remaining", String.valueOf(decision.remaining()));
        response.setHeader("X-RateLimit-Reset", String.valueOf(decision.resetEpochSeconds()));
        if (decision.allowed()) {
            chain.doFilter(request, response);
            return;
        }
        refuse(request, response, category, limit, decision.retryAfterSeconds(),
                limit + " requests per minute for " + category.key().replace('_', ' '));
    }

    private void limitStreams(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
                              String key, int limit) throws ServletException, IOException {
        Optional<ConcurrencyLimiter.Permit> permit;
        try {
            permit = streams.tryAcquire(key, limit, streamLease);
        } catch (RuntimeException e) {
            log.warn("stream limiter unavailable, letting the request through: {}", e.toString());
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("X-RateLimit-Limit", String.valueOf(limit));
        response.setHeader("X-RateLimit-Remaining", String.valueOf(permit.map(ConcurrencyLimiter.Permit::remaining).orElse(0)));
        if (permit.isEmpty()) {
            response.setHeader("X-RateLimit-Reset", String.valueOf(clock.instant().getEpochSecond() + STREAM_RETRY_SECONDS));
            refuse(request, response, Category.MISSION_STREAM, limit, STREAM_RETRY_SECONDS,
                    limit + " concurrent mission streams");
            return;
        }
        // A stream holds its slot until it ends: async streams release when the container completes them.
        response.setHeader("X-RateLimit-Reset", String.valueOf(clock.instant().getEpochSecond()));
        ConcurrencyLimiter.Permit held = permit.get();
        boolean async = false;
        try {
            chain.doFilter(request, response);
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new Release(held));
                async = true;
            }
        } finally {
            if (!async) {
                release(held);
            }
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Category category, int limit,
                        long retryAfter, String what) throws IOException {
        response.setHeader("Retry-After", String.valueOf(retryAfter));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("category", category.key());
        details.put("limit", limit);
        details.put("retry_after_s", retryAfter);
        errors.write(request, response, ErrorCode.RATE_LIMIT_EXCEEDED, "rate limit exceeded: " + what, details);
    }

    private static void release(ConcurrencyLimiter.Permit permit) {
        try {
            permit.close();
        } catch (RuntimeException e) {
            log.warn("could not release a stream slot (it lapses with its lease): {}", e.toString());
        }
    }

    private record Release(ConcurrencyLimiter.Permit permit) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            release(permit);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            release(permit);
        }

        @Override
        public void onError(AsyncEvent event) {
            release(permit);
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }
    }

    private static String encode(@Nullable String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
