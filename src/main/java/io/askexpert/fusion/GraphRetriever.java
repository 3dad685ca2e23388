package io.askexpert.fusion;

import java.util.List;
import java.util.function.Supplier;

/**
 * Concepts in the question (and in the request context) linked to experts, plus one hop along
 * expert↔expert relations; each hit carries the path that justified it.
 */
final class GraphRetriever implements FusionRetriever {

    private final Supplier<CatalogueSnapshot> snapshot;

    GraphRetriever(Supplier<CatalogueSnapshot> snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public Source source() {
        return Source.GRAPH;
    }

    /** Concepts named in other words are found through the question's embedding when there is one. */
    @Override
    public boolean wantsEmbedding() {
        return true;
    }

    @Override
    public List<RetrieverHit> retrieve(FusionQuery query) {
        CatalogueSnapshot current = snapshot.get();
        // Context ids (region, domain, area, phase) are concepts the user stated outright.
        StringBuilder text = new StringBuilder(query.question());
        query.context().forEach((key, value) -> text.append(". ").append(key.replace('_', ' ')).append(' ').append(value));
        return current.graph().walk(text.toString(), query.embedding(), current.visibleIds(query.tenantId()),
                query.candidates());
    }
}
