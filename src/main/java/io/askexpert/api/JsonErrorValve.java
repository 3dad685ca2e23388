package io.askexpert.api;

import io.askexpert.errors.ErrorCode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's own error answers (a request it refused before any servlet ran: headers too long, a
 * CR or NUL in a header, an undecodable path, an over-long query string) in the api.md §2
 * envelope with an {@code X-Request-ID}, instead of its HTML page. Installed as the host's error
 * report valve by {@link TomcatErrors}.
 */
final class JsonErrorValve extends ErrorReportValve {

    private final JsonMapper json = JsonMapper.builder().build();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String path = request.getDecodedRequestURI() == null ? "/" : request.getDecodedRequestURI();
        ApiFailures.Failure failure = ApiFailures.fromStatus(status, request.getMethod() == null ? "GET" : request.getMethod(),
                path.length() > 200 ? path.substring(0, 200) : path);
        ErrorCode code = failure.code();
        String requestId = response.getHeader(RequestIds.HEADER);
        if (requestId == null) {
            requestId = RequestIds.generate();
            response.setHeader(RequestIds.HEADER, requestId);
        }
        byte[] body = json.writeValueAsBytes(new ErrorEnvelope(new ErrorEnvelope.Body(code.name(), failure.message(),
                status == 400 ? Map.of("field", "request") : failure.details(), requestId)));
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(new String(body, StandardCharsets.UTF_8));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The connection is already gone: nobody to answer.
        }
    }
}
