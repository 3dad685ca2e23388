package io.askexpert.api;

import io.askexpert.errors.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every exception a controller (or the framework around it) raises becomes the api.md §2
 * envelope: {@code AskExpertException} with its own code, framework failures (validation,
 * malformed JSON, missing parameters, type mismatches, unknown routes, 405, 413, 415) with
 * theirs, anything else as a 500 without internals. Once a stream has started nothing is written.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final ErrorResponses errors;

    ApiExceptionHandler(ErrorResponses errors) {
        this.errors = errors;
    }

    @ExceptionHandler(Exception.class)
    public void handle(Exception e, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (ApiFailures.clientGone(e)) {
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        ApiFailures.Failure failure = ApiFailures.classify(e, request.getMethod(), path);
        if (failure.code() == ErrorCode.SERVICE_UNAVAILABLE) {
            // Overload comes in floods: one line each, no stack trace.
            log.warn("{} {} answered {}: {}", request.getMethod(), path, failure.code(), e.toString());
        } else if (failure.serverSide()) {
            log.error("{} {} failed with {}", request.getMethod(), path, failure.code(), e);
        } else {
            log.debug("{} {} answered {}: {}", request.getMethod(), path, failure.code(), failure.message());
        }
        if (response.isCommitted()) {
            return;
        }
        failure.headers().forEach(response::setHeader);
        errors.write(request, response, failure.code(), failure.message(), failure.details());
    }
}
