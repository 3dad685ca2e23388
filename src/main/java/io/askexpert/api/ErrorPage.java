package io.askexpert.api;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page: failures that never reached a controller (a filter threw,
 * Tomcat rejected the request) still answer with the envelope instead of a framework page.
 */
@Hidden
@RestController
class ErrorPage implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ErrorPage.class);

    private final ErrorResponses errors;

    ErrorPage(ErrorResponses errors) {
        this.errors = errors;
    }

    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        Object thrown = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String path = uri == null ? request.getRequestURI() : uri.toString();
        String method = request.getMethod();
        ApiFailures.Failure failure = thrown instanceof Throwable t
                ? ApiFailures.classify(t, method, path)
                : ApiFailures.fromStatus(status instanceof Integer code ? code : 404, method, path);
        if (failure.serverSide() && thrown instanceof Throwable t) {
            log.error("{} {} failed outside the controllers", method, path, t);
        }
        failure.headers().forEach(response::setHeader);
        errors.write(request, response, failure.code(), failure.message(), failure.details());
    }
}
