package io.askexpert.api;

import io.askexpert.auth.BrowserSignIn;
import io.askexpert.auth.JwtVerifier;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.observability.HttpMetrics;
import io.askexpert.ratelimit.ConcurrencyLimiter;
import io.askexpert.ratelimit.RateLimiter;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The HTTP edge's filter order: request id first (every answer carries it), then metrics (so
 * refusals are counted), the web app's security headers, body size, the query string's encoding, the
 * browser's cookie credentials (turned into the header authentication reads), authentication, and rate limits
 * (which need the caller).
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    static final int REQUEST_ID_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;
    static final int METRICS_ORDER = Ordered.HIGHEST_PRECEDENCE + 20;
    static final int BODY_SIZE_ORDER = Ordered.HIGHEST_PRECEDENCE + 30;
    static final int SECURITY_HEADERS_ORDER = Ordered.HIGHEST_PRECEDENCE + 25;
    static final int COOKIE_CREDENTIALS_ORDER = Ordered.HIGHEST_PRECEDENCE + 35;
    static final int INPUT_GUARD_ORDER = Ordered.HIGHEST_PRECEDENCE + 32;
    static final int AUTHENTICATION_ORDER = Ordered.HIGHEST_PRECEDENCE + 40;
    static final int RATE_LIMIT_ORDER = Ordered.HIGHEST_PRECEDENCE + 50;

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new TenantContextResolver());
    }

    @Bean
    FilterRegistrationBean<RequestIds> requestIdFilter() {
        return registration(new RequestIds(), REQUEST_ID_ORDER);
    }

    @Bean
    FilterRegistrationBean<HttpMetricsFilter> httpMetricsFilter(HttpMetrics metrics) {
        return registration(new HttpMetricsFilter(metrics), METRICS_ORDER);
    }

    @Bean
    FilterRegistrationBean<BodySizeLimit> bodySizeFilter(ErrorResponses errors) {
        return registration(new BodySizeLimit(errors), BODY_SIZE_ORDER);
    }

    @Bean
    FilterRegistrationBean<SecurityHeaders> securityHeadersFilter() {
        return registration(new SecurityHeaders(), SECURITY_HEADERS_ORDER);
    }

    @Bean
    FilterRegistrationBean<CookieCredentials> cookieCredentialsFilter(BrowserSignIn signIn, ErrorResponses errors) {
        return registration(new CookieCredentials(signIn, errors), COOKIE_CREDENTIALS_ORDER);
    }

    @Bean
    FilterRegistrationBean<InputGuard> inputGuardFilter(ErrorResponses errors) {
        return registration(new InputGuard(errors), INPUT_GUARD_ORDER);
    }

    @Bean
    FilterRegistrationBean<Authentication> authenticationFilter(JwtVerifier verifier, ErrorResponses errors) {
        return registration(new Authentication(verifier, errors), AUTHENTICATION_ORDER);
    }

    @Bean
    FilterRegistrationBean<RateLimits> rateLimitFilter(AskExpertSettings settings, RateLimiter rates,
                                                       ConcurrencyLimiter streams, ErrorResponses errors) {
        return registration(new RateLimits(settings, rates, streams, errors, Clock.systemUTC()), RATE_LIMIT_ORDER);
    }

    static <F extends jakarta.servlet.Filter> FilterRegistrationBean<F> registration(F filter, int order) {
        FilterRegistrationBean<F> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(order);
        registration.setAsyncSupported(true);
        return registration;
    }
}
