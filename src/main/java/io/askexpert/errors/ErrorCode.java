package io.askexpert.errors;

/** The error codes of api.md §2, each with the HTTP status it answers with. */
public enum ErrorCode {
    VALIDATION_ERROR(400),
    UNAUTHORIZED(401),
    BUDGET_EXCEEDED(402),
    FORBIDDEN(403),
    NOT_FOUND(404),
    AGENT_NOT_FOUND(404),
    MISSION_NOT_FOUND(404),
    SESSION_NOT_FOUND(404),
    CHECKPOINT_NOT_FOUND(404),
    RUN_NOT_FOUND(404),
    DOCUMENT_NOT_FOUND(404),
    JOB_NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    SESSION_BUSY(409),
    CHECKPOINT_ALREADY_RESOLVED(409),
    MISSION_STATE_CONFLICT(409),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    RATE_LIMIT_EXCEEDED(429),
    INTERNAL_ERROR(500),
    LLM_ERROR(502),
    SERVICE_UNAVAILABLE(503),
    FUSION_TIMEOUT(504);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
