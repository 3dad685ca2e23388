package io.askexpert.api;

import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import jakarta.validation.ConstraintViolationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindException;
import org.springframework.validation.FieldError;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Turns any failure into the api.md §2 code, a message safe to show, details naming the field,
 * and extra headers. Framework messages are never passed through: they can quote input or
 * internals; each case writes its own.
 */
final class ApiFailures {

    /** What the client sees; {@code headers} are added to the response (Allow, Retry-After). */
    record Failure(ErrorCode code, String message, Map<String, Object> details, Map<String, String> headers) {
        static Failure of(ErrorCode code, String message) {
            return new Failure(code, message, Map.of(), Map.of());
        }

        static Failure field(String field, String message) {
            return new Failure(ErrorCode.VALIDATION_ERROR, message, Map.of("field", field), Map.of());
        }

        boolean serverSide() {
            return code.httpStatus() >= 500;
        }
    }

    private ApiFailures() {
    }

    /** True for failures that mean the client went away: there is nobody to answer. */
    static boolean clientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AsyncRequestNotUsableException
                    || t.getClass().getName().equals("org.apache.catalina.connector.ClientAbortException")) {
                return true;
            }
        }
        return false;
    }

    static Failure classify(Throwable e, String method, String path) {
        AskExpertException own = find(e, AskExpertException.class);
        if (own != null) {
            return fromOwn(own);
        }
        BodyTooLargeException tooLarge = find(e, BodyTooLargeException.class);
        if (tooLarge != null) {
            return tooLarge(tooLarge.limit());
        }
        // PostgreSQL's "data exception" class (22xxx: too long, out of range, NUL, bad encoding) is
        // input the checks before it missed: the client's to fix, and never quoted back.
        java.sql.SQLException sql = find(e, java.sql.SQLException.class);
        if (sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
            return Failure.field("body".equals(path) ? "body" : method.equals("GET") ? "query" : "body",
                    "a value in the request cannot be stored (too long, out of range, or with characters such as NUL)");
        }
        if (redisDown(e)) {
            return new Failure(ErrorCode.SERVICE_UNAVAILABLE, "Redis is unavailable; retry shortly", Map.of(),
                    Map.of("Retry-After", "1"));
        }
        // A pool that is exhausted or a database that is down is an overload, not a bug: the client may retry.
        if (find(e, DataAccessResourceFailureException.class) != null
                || find(e, TransientDataAccessException.class) != null
                || find(e, org.springframework.transaction.TransactionException.class) != null
                || (sql != null && sql.getSQLState() != null
                        && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57")))) {
            return new Failure(ErrorCode.SERVICE_UNAVAILABLE, "the database is busy or unavailable; retry shortly",
                    Map.of(), Map.of("Retry-After", "1"));
        }
        return switch (e) {
            case BindException bind -> fromBinding(bind);
            case HandlerMethodValidationException hmv -> fromMethodValidation(hmv);
            case ConstraintViolationException cve -> fromConstraints(cve);
            case HttpMessageNotReadableException unreadable -> fromBody(unreadable);
            case MissingServletRequestParameterException missing ->
                    Failure.field(missing.getParameterName(), missing.getParameterName() + " is required");
            case MissingRequestHeaderException missing ->
                    Failure.field(missing.getHeaderName(), "header " + missing.getHeaderName() + " is required");
            case MissingServletRequestPartException missing ->
                    Failure.field(missing.getRequestPartName(), "part " + missing.getRequestPartName() + " is required");
            case TypeMismatchException mismatch -> fromTypeMismatch(mismatch);
            case NoResourceFoundException ignored -> noRoute(method, path);
            case NoHandlerFoundException ignored -> noRoute(method, path);
            case HttpRequestMethodNotSupportedException unsupported -> new Failure(ErrorCode.METHOD_NOT_ALLOWED,
                    method + " is not allowed on " + path, Map.of("method", method,
                            "allowed", allowed(unsupported)),
                    Map.of("Allow", String.join(", ", allowed(unsupported))));
            case HttpMediaTypeNotSupportedException unsupported -> new Failure(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Content-Type " + (unsupported.getContentType() == null ? "(none)" : unsupported.getContentType())
                            + " is not supported here", Map.of("field", "Content-Type", "supported",
                            unsupported.getSupportedMediaTypes().stream().map(Object::toString).toList()), Map.of());
            case HttpMediaTypeNotAcceptableException ignored ->
                    Failure.field("Accept", "this route cannot answer in the media type the Accept header asks for");
            case MaxUploadSizeExceededException max -> tooLarge(max.getMaxUploadSize());
            case MultipartException ignored -> Failure.field("body", "the multipart body is malformed");
            case AsyncRequestTimeoutException ignored ->
                    Failure.of(ErrorCode.SERVICE_UNAVAILABLE, "the request timed out");
            case ErrorResponse framework -> fromStatus(framework.getStatusCode().value(), method, path);
            default -> Failure.of(ErrorCode.INTERNAL_ERROR, "internal error");
        };
    }

    /** For the error page, where only a status code is known (for example Tomcat's own 400). */
    static Failure fromStatus(int status, String method, String path) {
        return switch (status) {
            case 400 -> Failure.of(ErrorCode.VALIDATION_ERROR, "bad request");
            case 401 -> Failure.of(ErrorCode.UNAUTHORIZED, "authentication required");
            case 403 -> Failure.of(ErrorCode.FORBIDDEN, "forbidden");
            case 404 -> noRoute(method, path);
            case 405 -> Failure.of(ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed on " + path);
            case 413 -> Failure.of(ErrorCode.PAYLOAD_TOO_LARGE, "request body is too large");
            case 415 -> Failure.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type is not supported here");
            case 429 -> Failure.of(ErrorCode.RATE_LIMIT_EXCEEDED, "rate limit exceeded");
            case 503 -> Failure.of(ErrorCode.SERVICE_UNAVAILABLE, "service unavailable");
            default -> status >= 400 && status < 500 ? Failure.of(ErrorCode.VALIDATION_ERROR, "bad request")
                    : Failure.of(ErrorCode.INTERNAL_ERROR, "internal error");
        };
    }

    static Failure tooLarge(long limit) {
        return new Failure(ErrorCode.PAYLOAD_TOO_LARGE, "request body is larger than the limit of " + limit + " bytes",
                Map.of("limit_bytes", limit), Map.of());
    }

    private static Failure fromOwn(AskExpertException e) {
        Object retry = e.details().get("retry_after_s");
        Map<String, String> headers = e.code() == ErrorCode.RATE_LIMIT_EXCEEDED && retry != null
                ? Map.of("Retry-After", retry.toString())
                : e.code() == ErrorCode.SERVICE_UNAVAILABLE ? Map.of("Retry-After", "1") : Map.of();
        return new Failure(e.code(), e.getMessage(), e.details(), headers);
    }

    /** A Redis driver failure that reached the edge unwrapped: Redis is down or unreachable. */
    private static boolean redisDown(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getName().startsWith("io.lettuce.core.")) {
                return true;
            }
        }
        return false;
    }

    private static Failure noRoute(String method, String path) {
        return new Failure(ErrorCode.NOT_FOUND, "no route for " + method + " " + path,
                Map.of("method", method, "path", path), Map.of());
    }

    private static List<String> allowed(HttpRequestMethodNotSupportedException e) {
        return e.getSupportedHttpMethods() == null ? List.of()
                : e.getSupportedHttpMethods().stream().map(Object::toString).sorted().toList();
    }

    private static Failure fromBinding(BindException e) {
        FieldError error = e.getFieldError();
        if (error == null) {
            return Failure.of(ErrorCode.VALIDATION_ERROR, "invalid request");
        }
        String field = snake(error.getField());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", field);
        if (e.getFieldErrorCount() > 1) {
            details.put("fields", e.getFieldErrors().stream().map(f -> snake(f.getField())).distinct().toList());
        }
        return new Failure(ErrorCode.VALIDATION_ERROR, field + " " + text(error.getDefaultMessage()), details, Map.of());
    }

    private static Failure fromMethodValidation(HandlerMethodValidationException e) {
        var first = e.getParameterValidationResults().stream().findFirst();
        if (first.isEmpty()) {
            return Failure.of(ErrorCode.VALIDATION_ERROR, "invalid request");
        }
        var result = first.get();
        String field = result.getMethodParameter().getParameterName();
        String name = field == null ? "parameter" : snake(field);
        String message = result.getResolvableErrors().isEmpty() ? "is invalid"
                : text(result.getResolvableErrors().getFirst().getDefaultMessage());
        return Failure.field(name, name + " " + message);
    }

    private static Failure fromConstraints(ConstraintViolationException e) {
        return e.getConstraintViolations().stream().findFirst().map(v -> {
            String path = v.getPropertyPath().toString();
            String field = snake(path.substring(path.lastIndexOf('.') + 1));
            return Failure.field(field, field + " " + v.getMessage());
        }).orElse(Failure.of(ErrorCode.VALIDATION_ERROR, "invalid request"));
    }

    private static Failure fromTypeMismatch(TypeMismatchException e) {
        String field = e.getPropertyName() == null ? "parameter" : snake(e.getPropertyName());
        String type = e.getRequiredType() == null ? "value" : describe(e.getRequiredType());
        return Failure.field(field, field + " must be " + type);
    }

    private static Failure fromBody(HttpMessageNotReadableException e) {
        JacksonException jackson = find(e, JacksonException.class);
        if (jackson == null) {
            return Failure.field("body", "request body is missing or unreadable (send JSON)");
        }
        if (jackson instanceof StreamReadException read) {
            var at = read.getLocation();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("field", "body");
            if (at != null) {
                details.put("line", at.getLineNr());
                details.put("column", at.getColumnNr());
            }
            return new Failure(ErrorCode.VALIDATION_ERROR, "malformed JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()),
                    details, Map.of());
        }
        String field = path(jackson);
        if (field.isEmpty()) {
            return Failure.field("body", "request body must be a JSON object of the documented shape");
        }
        if (jackson.getMessage() != null && jackson.getMessage().contains(StrictJson.NUL_MESSAGE)) {
            return Failure.field(field, field + " must not contain NUL characters or unpaired surrogates");
        }
        String expected = jackson instanceof InvalidFormatException invalid && invalid.getTargetType() != null
                ? describe(invalid.getTargetType())
                : jackson instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null
                        ? describe(mismatched.getTargetType()) : "of the documented type";
        IllegalArgumentException rule = find(e, IllegalArgumentException.class);
        return Failure.field(field, rule != null && rule.getMessage() != null ? rule.getMessage()
                : field + " must be " + expected);
    }

    private static String path(JacksonException e) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    static String snake(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static String text(@Nullable String message) {
        return message == null ? "is invalid" : message;
    }

    private static <T extends Throwable> @Nullable T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
