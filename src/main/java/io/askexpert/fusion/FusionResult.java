package io.askexpert.fusion;

import java.util.List;

/**
 * The team the engine chose, best first (the first is the lead), and why.
 *
 * @param fallback true when no expert cleared the confidence threshold (or every source failed)
 *                 and the configured fallback expert was used
 * @param expertEvidence for each selected expert, in the same order, why it was chosen
 * @param cached   true when the same question, context and weights were answered recently against
 *                 the same catalogue and that selection was reused (its timings are the original's)
 * @param ranking  expert ids in fusion's order, up to ten: the seated experts, then the other fused
 *                 candidates whether or not they cleared the bar (what the routing evaluation scores)
 */
public record FusionResult(List<SelectedExpert> selectedExperts, FusionEvidence evidence, boolean fallback,
                           boolean cached, List<ExpertEvidence> expertEvidence, Timings timings, List<String> ranking) {

    public FusionResult {
        selectedExperts = List.copyOf(selectedExperts);
        expertEvidence = List.copyOf(expertEvidence);
        ranking = List.copyOf(ranking);
    }

    FusionResult asCached() {
        return new FusionResult(selectedExperts, evidence, fallback, true, expertEvidence, timings, ranking);
    }

    /**
     * Sub-millisecond timings of the selection that produced this result.
     *
     * @param embeddingMs the question's embedding
     * @param fusionMs    the sources, RRF and synergy, without the embedding
     * @param perSourceMs each source that ran, until it answered, failed or was dropped
     */
    public record Timings(double embeddingMs, double fusionMs, java.util.Map<String, Double> perSourceMs) {
        public Timings {
            perSourceMs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(perSourceMs));
        }
    }
}
