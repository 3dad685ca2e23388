package io.askexpert.api;

import io.askexpert.auth.JwtVerifier;
import io.askexpert.auth.TenantContext;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every route under {@code /api/} needs a valid bearer token, except the mode health checks and
 * the OpenAPI document. Root routes ({@code /health}, {@code /metrics}) are public. The resolved
 * {@link TenantContext} is kept on the request for the controller argument resolver.
 */
final class Authentication extends OncePerRequestFilter {

    static final String TENANT_HEADER = "X-Tenant-ID";
    private static final String ATTRIBUTE = TenantContext.class.getName();
    private static final Pattern PUBLIC_API = Pattern.compile("/api/v1/expert/(mode[1-4]/health|openapi\\.json.*)");

    private final JwtVerifier verifier;
    private final ErrorResponses errors;

    Authentication(JwtVerifier verifier, ErrorResponses errors) {
        this.verifier = verifier;
        this.errors = errors;
    }

    static @Nullable TenantContext current(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof TenantContext tenant ? tenant : null;
    }

    static boolean isProtected(String path) {
        return path.startsWith("/api/") && !PUBLIC_API.matcher(path).matches();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !isProtected(request.getRequestURI().substring(request.getContextPath().length()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        TenantContext tenant;
        try {
            tenant = verifier.authenticate(request.getHeader("Authorization"), request.getHeader(TENANT_HEADER));
        } catch (AskExpertException e) {
            if (e.code() == ErrorCode.UNAUTHORIZED) {
                response.setHeader("WWW-Authenticate", "Bearer");
            }
            errors.write(request, response, e);
            return;
        }
        request.setAttribute(ATTRIBUTE, tenant);
        chain.doFilter(request, response);
    }
}
