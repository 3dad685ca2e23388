package io.askexpert.fusion;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why an expert is on the panel fusion chose ({@code selectedExperts[].role} on the wire: {@code lead} …). */
public enum PanelRole {
    /** The expert who answers (the first seat). */
    LEAD("lead"),
    /** A further seat: it covers part of the question the experts before it do not. */
    PANEL("panel"),
    /** No expert cleared the bar: the configured or most general expert answers alone. */
    FALLBACK("fallback");

    private final String wireName;

    PanelRole(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The role of the expert in seat {@code index} (0 = lead) of a panel that cleared the bar. */
    public static PanelRole ofSeat(int index) {
        return index == 0 ? LEAD : PANEL;
    }
}
