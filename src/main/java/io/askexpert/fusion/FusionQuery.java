package io.askexpert.fusion;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the retrievers see: the question, the tenant whose private experts are visible, the
 * request context (region, domain, therapeutic area, phase), how many candidates to return, and
 * the question's embeddings for retrievers that need one (computed once, timed apart from fusion):
 * {@code embedding} of the question as written, which the graph compares with short concept
 * phrases, and {@code searchEmbedding} of the question behind the model's retrieval instruction,
 * which the vector source compares with whole profiles (absent: the plain one).
 */
record FusionQuery(String question, String tenantId, Map<String, String> context, int candidates,
                   float @Nullable [] embedding, float @Nullable [] searchEmbedding) {

    FusionQuery {
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(tenantId, "tenantId");
        context = Map.copyOf(context);
    }

    FusionQuery(String question, String tenantId, Map<String, String> context, int candidates,
                float @Nullable [] embedding) {
        this(question, tenantId, context, candidates, embedding, null);
    }

    FusionQuery withEmbedding(float[] vector) {
        return new FusionQuery(question, tenantId, context, candidates, vector, searchEmbedding);
    }

    FusionQuery withSearchEmbedding(float[] vector) {
        return new FusionQuery(question, tenantId, context, candidates, embedding, vector);
    }

    /** The embedding to compare with whole profiles: the instructed one when there is one. */
    float @Nullable [] profileEmbedding() {
        return searchEmbedding != null ? searchEmbedding : embedding;
    }
}
