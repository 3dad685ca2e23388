package io.askexpert.fusion;

import java.util.List;
import java.util.function.Supplier;

/** Similarity between the question (behind the retrieval instruction) and each visible expert's vectors, averaged. */
final class VectorRetriever implements FusionRetriever {

    private final Supplier<CatalogueSnapshot> snapshot;

    VectorRetriever(Supplier<CatalogueSnapshot> snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public Source source() {
        return Source.VECTOR;
    }

    @Override
    public boolean needsEmbedding() {
        return true;
    }

    @Override
    public List<RetrieverHit> retrieve(FusionQuery query) {
        return snapshot.get().nearest(query.profileEmbedding(), query.tenantId(), query.candidates());
    }
}
