package io.askexpert.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code X-Request-ID} on every response (api.md §1): the client's value when it is a sane
 * token, a new {@code req-…} otherwise. The id is in the MDC for logs and in every error body.
 */
final class RequestIds extends OncePerRequestFilter {

    static final String HEADER = "X-Request-ID";
    static final String MDC_KEY = "request_id";
    private static final String ATTRIBUTE = RequestIds.class.getName();
    /** Echoed into headers and logs, so only harmless characters and a bounded length pass. */
    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    /** The request's id; generated on the spot if the filter did not run (should not happen). */
    static String current(HttpServletRequest request) {
        Object id = request.getAttribute(ATTRIBUTE);
        if (id instanceof String s) {
            return s;
        }
        String generated = generate();
        request.setAttribute(ATTRIBUTE, generated);
        return generated;
    }

    static String generate() {
        return "req-" + UUID.randomUUID();
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = request.getAttribute(ATTRIBUTE) instanceof String existing ? existing : accept(request.getHeader(HEADER));
        request.setAttribute(ATTRIBUTE, id);
        if (!response.containsHeader(HEADER)) {
            response.setHeader(HEADER, id);
        }
        String previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, id);
        try {
            chain.doFilter(request, response);
        } finally {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        }
    }

    private static String accept(String header) {
        return header != null && ACCEPTED.matcher(header.strip()).matches() ? header.strip() : generate();
    }
}
