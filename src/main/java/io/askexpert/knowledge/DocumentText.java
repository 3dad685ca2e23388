package io.askexpert.knowledge;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** A stored document with its passages in order: what a reader opens from a citation. */
public record DocumentText(DocumentSummary document, List<Passage> passages) {

    public DocumentText {
        passages = List.copyOf(passages);
    }

    /** One chunk as stored; {@code chunkId} is the id citations carry. */
    public record Passage(String chunkId, int ordinal, @Nullable String heading, String text) {
    }
}
