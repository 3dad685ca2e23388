package io.askexpert.missions;

import io.askexpert.errors.ErrorCode;
import java.util.Objects;

/**
 * A step or the mission cannot go on: the mission fails with this code and a message a user can
 * read (which step, and why). Never carries a secret or a provider's raw error body.
 */
final class MissionFailure extends RuntimeException {

    private final ErrorCode code;

    MissionFailure(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = Objects.requireNonNull(code, "code");
    }

    ErrorCode code() {
        return code;
    }
}
