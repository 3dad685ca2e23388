package io.askexpert.interactive;

import io.askexpert.runs.RunEvent;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A whole answer, for {@code /mode1/query} and {@code /mode2/query}: the same run as a stream,
 * collected.
 *
 * @param confidence 0–1: the mean relevance of the passages the answer cited (0 when it cited none)
 * @param expertsUsed the panel's slugs, lead first (one in mode 1)
 */
public record InteractiveAnswer(String response, List<RunEvent.Passage> citations, List<RunEvent.Reasoning> reasoning,
                                double confidence, String sessionId, @Nullable String messageId, String runId,
                                RunEvent.Cost cost, long responseTimeMs, List<String> expertsUsed, boolean offline) {

    public InteractiveAnswer {
        citations = List.copyOf(citations);
        reasoning = List.copyOf(reasoning);
        expertsUsed = List.copyOf(expertsUsed);
    }
}
