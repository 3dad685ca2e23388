package io.askexpert.fusion;

import java.util.List;

/**
 * The team the engine chose, best first (the first is the lead), and why.
 *
 * @param fallback true when no expert cleared the confidence threshold (or every source failed)
 *                 and the configured fallback expert was used
 */
public record FusionResult(List<SelectedExpert> selectedExperts, FusionEvidence evidence, boolean fallback) {

    public FusionResult {
        selectedExperts = List.copyOf(selectedExperts);
    }
}
