package io.askexpert.api;

import io.askexpert.errors.ErrorCode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a query string the rest of the service cannot hold, before anything reads it: a
 * parameter that is not valid percent-encoded UTF-8, or that contains NUL (PostgreSQL text cannot
 * store it). The answer is 400 {@code VALIDATION_ERROR} naming the parameter ({@code query} when
 * even its name is unreadable). Decoded here rather than through the container, whose parser
 * turns the same input into an exception the handlers never see.
 */
final class InputGuard extends OncePerRequestFilter {

    private final ErrorResponses errors;

    InputGuard(ErrorResponses errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String problem = problem(request.getQueryString());
        if (problem != null) {
            String field = problem.isEmpty() ? "query" : problem;
            errors.write(request, response, ErrorCode.VALIDATION_ERROR,
                    "query parameter " + (problem.isEmpty() ? "" : field + " ")
                            + "must be percent-encoded UTF-8 without NUL characters", Map.of("field", field));
            return;
        }
        chain.doFilter(request, response);
    }

    /** Null when the query string is fine; otherwise the offending parameter's name, or "" when unreadable. */
    static @Nullable String problem(@Nullable String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (name == null || name.indexOf('\0') >= 0) {
                return "";
            }
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (value == null || value.indexOf('\0') >= 0) {
                return name.matches("[A-Za-z0-9_.\\-\\[\\]]{1,64}") ? name : "";
            }
        }
        return null;
    }

    private static @Nullable String decode(String part) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '%') {
                if (i + 2 >= part.length()) {
                    return null;
                }
                int hi = Character.digit(part.charAt(i + 1), 16);
                int lo = Character.digit(part.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c > 0x7f) {
                return null;
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
