package io.askexpert.knowledge;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One retrieved passage in the shape a citation needs (api.md §4, {@code sources.items}).
 *
 * @param id         stable id of the citation within an answer (the chunk id as text)
 * @param index      1-based position, the number an answer cites as [n]
 * @param source     where it comes from (namespace or document origin)
 * @param confidence 0–1 relevance of the passage to the question
 */
public record Source(String id, int index, String source, String title, String excerpt, @Nullable String url,
                     double confidence, String documentId, String chunkId, Map<String, Object> metadata) {

    public Source {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(excerpt, "excerpt");
        metadata = Map.copyOf(metadata);
        if (index < 1) {
            throw new IllegalArgumentException("index is 1-based, got " + index);
        }
    }

    public Source withIndex(int newIndex) {
        return new Source(id, newIndex, source, title, excerpt, url, confidence, documentId, chunkId, metadata);
    }
}
