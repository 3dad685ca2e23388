package io.askexpert.missions;

import io.askexpert.config.Mode;

/**
 * Mode 3 (the user picked the expert) or mode 4 (fusion assembled a team): the two autonomous
 * {@link Mode}s, as a type a mission can hold without a case for modes 1 and 2.
 */
public enum MissionMode {
    MODE3(Mode.MODE3), MODE4(Mode.MODE4);

    private final Mode mode;

    MissionMode(Mode mode) {
        this.mode = mode;
    }

    /** The mode as runs, sessions, timeouts ({@code MODE3_TIMEOUT} …) and health know it. */
    public Mode mode() {
        return mode;
    }

    /** 3 or 4, as in the runs' {@code mode} and the mission JSON. */
    public int number() {
        return mode.number();
    }

    public static MissionMode of(int number) {
        return switch (number) {
            case 3 -> MODE3;
            case 4 -> MODE4;
            default -> throw new IllegalArgumentException("a mission's mode is 3 or 4, got " + number);
        };
    }

    /** The mission mode of an autonomous {@link Mode}. */
    public static MissionMode of(Mode mode) {
        return switch (mode) {
            case MODE3 -> MODE3;
            case MODE4 -> MODE4;
            case MODE1, MODE2 -> throw new IllegalArgumentException("a mission's mode is 3 or 4, got " + mode.number());
        };
    }
}
