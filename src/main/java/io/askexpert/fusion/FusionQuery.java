package io.askexpert.fusion;

import java.util.Map;
import java.util.Objects;

/**
 * What the retrievers see: the question, the tenant whose private experts are visible, the
 * request context (region, domain, therapeutic area, phase) and how many candidates to return.
 */
record FusionQuery(String question, String tenantId, Map<String, String> context, int candidates) {

    FusionQuery {
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(tenantId, "tenantId");
        context = Map.copyOf(context);
    }
}
