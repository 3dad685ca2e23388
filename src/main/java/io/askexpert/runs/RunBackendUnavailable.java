package io.askexpert.runs;

import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.util.Map;

/** Redis behind the run machinery failed; retriable, and no caller ever sees a driver type. */
public final class RunBackendUnavailable extends AskExpertException {

    RunBackendUnavailable(Throwable cause) {
        super(ErrorCode.SERVICE_UNAVAILABLE, "Redis (run event log, session lock or cancel signal) is unavailable", Map.of("retriable", true), cause);
    }
}
