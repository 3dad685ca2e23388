package io.askexpert.knowledge;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Progress of an asynchronous ingestion: {@code queued → running → completed | failed}; a failed
 * job says why ({@code failureReason}: an internal error, or its instance stopped).
 */
public record IngestJob(String id, String status, int total, int processed, int succeeded, int failed,
                        List<Map<String, Object>> errors, Instant createdAt, Instant updatedAt,
                        @Nullable String failureReason) {

    public IngestJob {
        errors = List.copyOf(errors);
    }

    public double progress() {
        return total == 0 ? 1.0 : (double) processed / total;
    }
}
