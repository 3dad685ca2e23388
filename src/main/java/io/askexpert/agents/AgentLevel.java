package io.askexpert.agents;

/** The five levels of api.md §7; a parent ({@code reports_to}) always has a lower number. */
public enum AgentLevel {
    MASTER(1), EXPERT(2), SPECIALIST(3), WORKER(4), TOOL(5);

    private final int number;

    AgentLevel(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public static AgentLevel of(int number) {
        for (AgentLevel level : values()) {
            if (level.number == number) {
                return level;
            }
        }
        throw new IllegalArgumentException("level must be 1-5, got " + number);
    }
}
