package io.askexpert.knowledge;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One retrieved chunk with everything a citation needs. {@code content} is the whole chunk (what a
 * prompt should quote); {@code excerpt} is its short form for display.
 *
 * @param score the strategy's own score: the fused score for hybrid (RRF by default), cosine for vector, BM25 for keyword
 * @param confidence the score mapped to 0–1 for {@link Source}
 */
public record SearchResult(String documentId, @Nullable String externalId, String chunkId, String title,
                           @Nullable String heading, String excerpt, String content, @Nullable String url,
                           double score, double confidence, String namespace, @Nullable String domain) {

    /** The citation shape of api.md §4, numbered {@code index} (1-based). */
    public Source toSource(int index) {
        Map<String, Object> metadata = new java.util.LinkedHashMap<>();
        if (externalId != null) {
            metadata.put("external_id", externalId);
        }
        if (domain != null) {
            metadata.put("domain", domain);
        }
        if (heading != null) {
            metadata.put("heading", heading);
        }
        metadata.put("score", score);
        return new Source(chunkId, index, namespace, title, excerpt, url, confidence, documentId, chunkId, metadata);
    }
}
