package io.askexpert.missions;

import io.askexpert.knowledge.Source;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one team member delivered for its sub-task, recorded under {@code step-<n>/member}: once
 * recorded, the delegation is never run again (a replay or a takeover reads this). {@code text}
 * cites {@code sources} by their {@code index} (the member's own numbering; the report renumbers).
 *
 * @param error why the member could not deliver, when {@code failed}
 */
record MemberReport(int number, String memberId, String memberSlug, String memberName, String task, String text,
                    List<Source> sources, boolean failed, @Nullable String error, long startedAtMillis,
                    long durationMs) {

    MemberReport {
        Objects.requireNonNull(text, "text");
        sources = List.copyOf(sources);
    }
}
