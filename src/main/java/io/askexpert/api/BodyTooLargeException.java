package io.askexpert.api;

import java.io.IOException;

/**
 * Thrown from the request body stream once it passes its limit. An {@link IOException}, so the
 * framework's body readers pass it on as the cause of their own failure and it still maps to 413.
 */
final class BodyTooLargeException extends IOException {

    private final long limit;

    BodyTooLargeException(long limit) {
        super("request body is larger than " + limit + " bytes");
        this.limit = limit;
    }

    long limit() {
        return limit;
    }
}
