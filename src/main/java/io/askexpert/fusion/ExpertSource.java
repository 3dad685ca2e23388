package io.askexpert.fusion;

import java.util.List;
import java.util.Map;

/** Every active expert of every tenant, as fusion sees them; read on each catalogue rebuild. */
interface ExpertSource {

    List<ExpertEntry> load();

    /** The catalogue's version as stored, read before {@link #load()}; -1 when the source has none. */
    default long catalogueVersion() {
        return -1;
    }

    /**
     * Each expert's full-text document (PostgreSQL {@code tsvector} text) by id, read after
     * {@link #load()}; an expert without one is not found by the relational source.
     */
    default Map<String, String> fullTextDocuments() {
        return Map.of();
    }
}
