package io.askexpert.knowledge;

import java.util.List;

/**
 * Ranked chunks, best first. {@code retrievalTimeMs} excludes the query's embedding, which is
 * reported apart in {@code embeddingTimeMs} (0 for keyword search).
 */
public record SearchResponse(List<SearchResult> results, double retrievalTimeMs, double embeddingTimeMs,
                             SearchStrategy strategy, String vectorStore) {

    public SearchResponse {
        results = List.copyOf(results);
    }

    /** The results as numbered citations, [1] first. */
    public List<Source> sources() {
        return java.util.stream.IntStream.range(0, results.size()).mapToObj(i -> results.get(i).toSource(i + 1)).toList();
    }
}
