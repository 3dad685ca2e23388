package io.askexpert.runs;

import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes {@link RunEvent}s as one line of JSON with api.md's field names. A mapper of its own, so
 * the wire format does not change when the application's JSON settings do.
 */
final class RunEventJson {

    private final JsonMapper mapper = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    String encode(RunEvent event) {
        // Jackson escapes every control character inside strings, so the output is one line.
        return mapper.writeValueAsString(event);
    }
}
