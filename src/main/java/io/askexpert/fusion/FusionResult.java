package io.askexpert.fusion;

import java.util.List;

/**
 * The team the engine chose, best first (the first is the lead), and why.
 *
 * @param fallback true when no expert cleared the confidence threshold (or every source failed)
 *                 and the configured fallback expert was used
 * @param cached   true when the same question, context and weights were answered recently against
 *                 the same catalogue and that selection was reused (its timings are the original's)
 */
public record FusionResult(List<SelectedExpert> selectedExperts, FusionEvidence evidence, boolean fallback,
                           boolean cached) {

    public FusionResult {
        selectedExperts = List.copyOf(selectedExperts);
    }

    FusionResult asCached() {
        return new FusionResult(selectedExperts, evidence, fallback, true);
    }
}
