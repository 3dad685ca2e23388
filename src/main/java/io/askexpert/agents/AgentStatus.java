package io.askexpert.agents;

import java.util.Locale;

/** Lifecycle of an agent; only {@code active} agents answer questions and are routed to. */
public enum AgentStatus {
    ACTIVE, INACTIVE, DEPRECATED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AgentStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
