package io.askexpert.errors;

import java.util.Map;

/**
 * A failure the caller should see as an api.md error: a code, a message safe to show (no
 * secrets, no internals) and optional details such as {@code field}. Subclass it for a
 * condition that code must catch by type; throw it directly for one-off validation.
 */
public class AskExpertException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> details;

    public AskExpertException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public AskExpertException(ErrorCode code, String message, Map<String, Object> details) {
        super(message);
        this.code = code;
        this.details = Map.copyOf(details);
    }

    public AskExpertException(ErrorCode code, String message, Map<String, Object> details, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.details = Map.copyOf(details);
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    /** A {@code VALIDATION_ERROR} naming the offending field. */
    public static AskExpertException invalid(String field, String message) {
        return new AskExpertException(ErrorCode.VALIDATION_ERROR, message, Map.of("field", field));
    }

    /** A not-found error; another tenant's id answers this too, never its data. */
    public static AskExpertException notFound(ErrorCode code, String what, String id) {
        return new AskExpertException(code, what + " '" + id + "' not found", Map.of("id", id));
    }
}
