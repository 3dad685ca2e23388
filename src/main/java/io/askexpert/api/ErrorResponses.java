package io.askexpert.api;

import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Writes the error envelope straight to the servlet response. Filters, the exception handler
 * and the error page all use it, and none goes through content negotiation: a client that
 * asked for {@code text/event-stream} still receives its JSON error before the stream starts.
 */
@Component
final class ErrorResponses {

    private final ObjectMapper json;

    ErrorResponses(ObjectMapper json) {
        this.json = json;
    }

    void write(HttpServletRequest request, HttpServletResponse response, AskExpertException e) throws IOException {
        write(request, response, e.code(), e.getMessage(), e.details());
    }

    /** Returns false when the response had already started (an SSE stream): nothing can be written. */
    boolean write(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String message,
                  Map<String, Object> details) throws IOException {
        if (response.isCommitted()) {
            return false;
        }
        response.resetBuffer();
        response.setStatus(code.httpStatus());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        byte[] body = json.writeValueAsBytes(new ErrorEnvelope(
                new ErrorEnvelope.Body(code.name(), message, details, RequestIds.current(request))));
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
        return true;
    }
}
