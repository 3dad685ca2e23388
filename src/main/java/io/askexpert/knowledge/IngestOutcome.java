package io.askexpert.knowledge;

import org.jspecify.annotations.Nullable;

/** What happened to one document of a batch: indexed with its chunk count, or the reason it was not. */
public record IngestOutcome(int index, String key, @Nullable String documentId, int chunks, @Nullable String error) {

    public boolean ok() {
        return error == null;
    }

    static IngestOutcome indexed(int index, String key, String documentId, int chunks) {
        return new IngestOutcome(index, key, documentId, chunks, null);
    }

    static IngestOutcome failed(int index, String key, String error) {
        return new IngestOutcome(index, key, null, 0, error);
    }
}
