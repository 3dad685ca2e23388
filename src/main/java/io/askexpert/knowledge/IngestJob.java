package io.askexpert.knowledge;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Progress of an asynchronous ingestion: {@code queued → running → completed | failed}. */
public record IngestJob(String id, String status, int total, int processed, int succeeded, int failed,
                        List<Map<String, Object>> errors, Instant createdAt, Instant updatedAt) {

    public IngestJob {
        errors = List.copyOf(errors);
    }

    public double progress() {
        return total == 0 ? 1.0 : (double) processed / total;
    }
}
