package io.askexpert.fusion;

import java.util.Map;
import java.util.Objects;

/**
 * What the retrievers see: the question, the tenant whose private experts are visible, the
 * request context (region, domain, therapeutic area, phase), how many candidates to return, and
 * the question's embedding for retrievers that need one (computed once, timed apart from fusion).
 */
record FusionQuery(String question, String tenantId, Map<String, String> context, int candidates,
                   float @org.jspecify.annotations.Nullable [] embedding) {

    FusionQuery {
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(tenantId, "tenantId");
        context = Map.copyOf(context);
    }

    FusionQuery withEmbedding(float[] vector) {
        return new FusionQuery(question, tenantId, context, candidates, vector);
    }
}
