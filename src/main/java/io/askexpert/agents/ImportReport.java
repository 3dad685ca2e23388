package io.askexpert.agents;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The per-record outcome of an upsert or import, in input order. A failed record names its
 * index, slug (when it had one) and each offending field; the other records are written anyway.
 */
public record ImportReport(List<RecordResult> results, long catalogueVersion) {

    public ImportReport {
        results = List.copyOf(results);
    }

    public enum Outcome { CREATED, UPDATED, UNCHANGED, FAILED }

    public record FieldError(String field, String message) {
    }

    public record RecordResult(int index, @Nullable String slug, Outcome outcome, @Nullable String id,
                               @Nullable Integer version, List<FieldError> errors, List<String> warnings) {

        public RecordResult {
            errors = List.copyOf(errors);
            warnings = List.copyOf(warnings);
        }

        static RecordResult failed(int index, @Nullable String slug, List<FieldError> errors) {
            return new RecordResult(index, slug, Outcome.FAILED, null, null, errors, List.of());
        }
    }

    public long count(Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }

    public boolean allSucceeded() {
        return count(Outcome.FAILED) == 0;
    }
}
