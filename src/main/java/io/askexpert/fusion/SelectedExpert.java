package io.askexpert.fusion;

import java.util.Objects;

/**
 * An expert chosen by the fusion engine (api.md §4 {@code fusion.selectedExperts}).
 *
 * @param confidence 0–100, accounting for the source weights and how many sources answered
 * @param role       the lead who answers, a panel member, or the fallback expert
 * @param reason     why it is there, in one sentence: where the sources ranked it, and for a panel
 *                   member what of the question it covers that the experts before it do not
 */
public record SelectedExpert(String id, String name, int confidence, PanelRole role, int level, String specialty,
                             String reason) {

    public SelectedExpert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(role, "role");
        if (confidence < 0 || confidence > 100) {
            throw new IllegalArgumentException("confidence must be 0..100, got " + confidence);
        }
    }
}
