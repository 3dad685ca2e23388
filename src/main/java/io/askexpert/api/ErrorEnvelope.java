package io.askexpert.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The api.md §2 error body: {@code {"error": {code, message, details, request_id}}}. */
record ErrorEnvelope(Body error) {

    record Body(String code, String message, Map<String, Object> details,
                @JsonProperty("request_id") String requestId) {
    }
}
