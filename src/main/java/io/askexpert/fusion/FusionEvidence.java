package io.askexpert.fusion;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Why the fusion engine chose what it chose (api.md §4 {@code fusion.evidence}, §5.2).
 *
 * @param perSource per retriever: how many hits, its latency, and whether it timed out or failed
 * @param vectorScores per source, best first: expert id to the source's own score
 * @param graphPaths for each expert found by the graph retriever, best first, the nodes that justified the hit
 * @param retrievalTimeMs fusion time, excluding the question's embedding
 * @param embeddingTimeMs the question's embedding, reported apart
 */
public record FusionEvidence(String method, Weights weights, List<String> sourcesUsed,
                             Map<String, SourceReport> perSource, Map<String, Double> vectorScores,
                             Map<String, List<String>> graphPaths, Map<String, Double> relationalScores,
                             long retrievalTimeMs, long embeddingTimeMs, boolean degraded,
                             @Nullable String fallbackReason) {

    public FusionEvidence {
        sourcesUsed = List.copyOf(sourcesUsed);
        perSource = ordered(perSource);
        vectorScores = ordered(vectorScores);
        graphPaths = ordered(graphPaths);
        relationalScores = ordered(relationalScores);
    }

    /** Each source's map keeps its rank order (best first), so a reader sees the ranking it fused. */
    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(map));
    }

    /** The weighted-RRF weights actually used. */
    public record Weights(double vector, double graph, double relational) {
    }

    /** @param status {@code ok}, {@code timeout}, {@code failed} or {@code skipped} */
    public record SourceReport(String status, int hits, long latencyMs) {
    }
}
