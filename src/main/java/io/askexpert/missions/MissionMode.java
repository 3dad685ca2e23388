package io.askexpert.missions;

/** Mode 3 (the user picked the expert) or mode 4 (fusion assembled a team). */
public enum MissionMode {
    MODE3(3), MODE4(4);

    private final int number;

    MissionMode(int number) {
        this.number = number;
    }

    /** 3 or 4, as in the runs' {@code mode} and the {@code run} event. */
    public int number() {
        return number;
    }

    public static MissionMode of(int number) {
        return switch (number) {
            case 3 -> MODE3;
            case 4 -> MODE4;
            default -> throw new IllegalArgumentException("a mission's mode is 3 or 4, got " + number);
        };
    }
}
