package io.askexpert.api;

import io.askexpert.auth.BrowserSignIn;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets the web app call the API with its cookie: a request to a protected route that carries no
 * {@code Authorization} header but the session cookie is handed on as if it carried
 * {@code Authorization: Bearer <cookie>} (and the tenant cookie as {@code X-Tenant-ID} when it
 * sent none), so {@link Authentication} applies exactly the rules it applies to every token.
 * Unsafe methods must also carry the CSRF token that goes with the cookie. A request with its own
 * {@code Authorization} header is passed through untouched.
 */
final class CookieCredentials extends OncePerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final BrowserSignIn signIn;
    private final ErrorResponses errors;

    CookieCredentials(BrowserSignIn signIn, ErrorResponses errors) {
        this.signIn = signIn;
        this.errors = errors;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !Authentication.isProtected(request.getRequestURI().substring(request.getContextPath().length()))
                || request.getHeader("Authorization") != null || BrowserCookies.token(request) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = BrowserCookies.token(request);
        if (token == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!SAFE_METHODS.contains(request.getMethod())
                && !signIn.csrfMatches(token, request.getHeader(BrowserCookies.CSRF_HEADER))) {
            errors.write(request, response, new AskExpertException(ErrorCode.FORBIDDEN,
                    "a signed-in browser must send the X-CSRF-Token header that GET /auth/session returns; reload the page",
                    Map.of("field", BrowserCookies.CSRF_HEADER)));
            return;
        }
        String tenant = request.getHeader(Authentication.TENANT_HEADER) == null ? BrowserCookies.tenant(request) : null;
        chain.doFilter(new WithHeaders(request, "Bearer " + token, tenant), response);
    }

    /** The request as the API sees it: the cookie's token as the bearer, the cookie's tenant as the header. */
    private static final class WithHeaders extends HttpServletRequestWrapper {

        private final String authorization;
        private final @Nullable String tenant;

        WithHeaders(HttpServletRequest request, String authorization, @Nullable String tenant) {
            super(request);
            this.authorization = authorization;
            this.tenant = tenant;
        }

        private @Nullable String added(String name) {
            if ("Authorization".equalsIgnoreCase(name)) {
                return authorization;
            }
            return Authentication.TENANT_HEADER.equalsIgnoreCase(name) ? tenant : null;
        }

        @Override
        public @Nullable String getHeader(String name) {
            String value = added(name);
            return value != null ? value : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            String value = added(name);
            return value != null ? Collections.enumeration(Set.of(value)) : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            Set<String> names = new LinkedHashSet<>(Collections.list(super.getHeaderNames()));
            names.add("Authorization");
            if (tenant != null) {
                names.add(Authentication.TENANT_HEADER);
            }
            return Collections.enumeration(names);
        }
    }
}
