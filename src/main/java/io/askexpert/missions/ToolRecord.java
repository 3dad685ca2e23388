package io.askexpert.missions;

import io.askexpert.knowledge.Source;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One tool call as recorded under {@code step-<n>/tool/<callId>}: its output (JSON-able) and the
 * passages it quoted as the tool numbered them, or why it failed or did not run.
 */
record ToolRecord(String callId, String tool, @Nullable Object output, List<Source> sources, @Nullable String failure,
                  @Nullable String error, long durationMs) {

    ToolRecord {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(tool, "tool");
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    boolean failed() {
        return error != null;
    }
}
