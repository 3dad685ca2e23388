package io.askexpert.knowledge;

import java.util.List;

/** A batch's result: every document's outcome, in input order. */
public record IngestReport(List<IngestOutcome> outcomes) {

    public IngestReport {
        outcomes = List.copyOf(outcomes);
    }

    public long succeeded() {
        return outcomes.stream().filter(IngestOutcome::ok).count();
    }

    public long failed() {
        return outcomes.size() - succeeded();
    }

    public long chunks() {
        return outcomes.stream().mapToLong(IngestOutcome::chunks).sum();
    }
}
