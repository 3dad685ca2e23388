package io.askexpert.fusion;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A question to route. {@code weights} overrides the configured weights for this request
 * (api.md {@code options.fusion_weights}); {@code context} carries region, domain, therapeutic
 * area and phase ids.
 */
public record FusionRequest(String question, String tenantId, int maxExperts, Map<String, String> context,
                            FusionEvidence.@Nullable Weights weights) {

    public FusionRequest {
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(tenantId, "tenantId");
        context = Map.copyOf(context);
        if (maxExperts < 1 || maxExperts > 6) {
            throw new IllegalArgumentException("maxExperts must be 1..6, got " + maxExperts);
        }
        if (weights != null && (weights.vector() < 0 || weights.graph() < 0 || weights.relational() < 0
                || weights.vector() + weights.graph() + weights.relational() <= 0)) {
            throw new IllegalArgumentException("fusion weights must be non-negative and not all zero");
        }
    }
}
