package io.askexpert.api;

import io.askexpert.auth.BrowserSignIn.BrowserCredential;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;

/**
 * Where a signed-in browser keeps its credential: the API token in an HttpOnly, SameSite=Strict
 * cookie that page scripts cannot read (so an injected script cannot carry it off), and, for a
 * token that names no tenant, the tenant in a second one. Secure whenever the request came over
 * HTTPS; plain HTTP is left working for {@code http://localhost}.
 */
final class BrowserCookies {

    static final String TOKEN = "ask_expert_session";
    static final String TENANT = "ask_expert_tenant";
    static final String CSRF_HEADER = "X-CSRF-Token";

    private BrowserCookies() {
    }

    static @Nullable String token(HttpServletRequest request) {
        return value(request, TOKEN);
    }

    static @Nullable String tenant(HttpServletRequest request) {
        return value(request, TENANT);
    }

    static void store(HttpServletRequest request, HttpServletResponse response, BrowserCredential credential) {
        Duration maxAge = Duration.between(Instant.now(), credential.expiresAt());
        add(request, response, TOKEN, credential.token(), maxAge);
        if (credential.tenantHeader() != null) {
            add(request, response, TENANT, credential.tenantHeader(), maxAge);
        } else {
            add(request, response, TENANT, "", Duration.ZERO);
        }
    }

    static void clear(HttpServletRequest request, HttpServletResponse response) {
        add(request, response, TOKEN, "", Duration.ZERO);
        add(request, response, TENANT, "", Duration.ZERO);
    }

    private static void add(HttpServletRequest request, HttpServletResponse response, String name, String value,
                            Duration maxAge) {
        ResponseCookie cookie = ResponseCookie.from(name, value).httpOnly(true).sameSite("Strict").path("/")
                .secure(request.isSecure()).maxAge(maxAge.isNegative() ? Duration.ZERO : maxAge).build();
        response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
    }

    private static @Nullable String value(HttpServletRequest request, String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (name.equals(c.getName()) && c.getValue() != null && !c.getValue().isBlank()) {
                return c.getValue();
            }
        }
        return null;
    }
}
