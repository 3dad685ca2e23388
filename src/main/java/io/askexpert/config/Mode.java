package io.askexpert.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The four modes of api.md: who picks the expert (the user: manual; fusion: auto) by how the
 * work is done (an answer now: interactive; a mission: autonomous). It lives in {@code config},
 * which every package may import, because capabilities (sessions, health) record it too.
 *
 * <p>Wire forms: the number ({@code 1..4}: the {@code runs} and {@code sessions} columns, session
 * and mission JSON, {@code /mode{N}/…} routes) and the name ({@code mode1_manual_interactive} …:
 * the {@code run} event, the health routes, and in JSON by default). Input accepts either
 * (api.md §1).
 */
public enum Mode {
    MODE1(1, "mode1_manual_interactive"),
    MODE2(2, "mode2_auto_interactive"),
    MODE3(3, "mode3_manual_autonomous"),
    MODE4(4, "mode4_auto_autonomous");

    private final int number;
    private final String wireName;

    Mode(int number, String wireName) {
        this.number = number;
        this.wireName = wireName;
    }

    /** 1 to 4. */
    public int number() {
        return number;
    }

    /** {@code mode1_manual_interactive} …, as the {@code run} event and the health routes spell it. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** {@code mode1} …: the route segment, the metric tag and the trace name's prefix. */
    public String shortName() {
        return "mode" + number;
    }

    /** {@code MODE1_TIMEOUT} …: the environment variable that bounds a run of this mode. */
    public String timeoutVariable() {
        return "MODE" + number + "_TIMEOUT";
    }

    /** Modes 1 and 2 answer now; modes 3 and 4 run missions. */
    public boolean interactive() {
        return this == MODE1 || this == MODE2;
    }

    /** Modes 2 and 4: fusion chooses the experts. */
    public boolean fusionChoosesExperts() {
        return this == MODE2 || this == MODE4;
    }

    /** The mode numbered {@code 1..4}. */
    public static Mode of(int number) {
        return switch (number) {
            case 1 -> MODE1;
            case 2 -> MODE2;
            case 3 -> MODE3;
            case 4 -> MODE4;
            default -> throw new IllegalArgumentException("mode must be 1..4, got " + number);
        };
    }

    /** Any wire form: {@code 1}, {@code "1"}, {@code "mode1_manual_interactive"} (any case). */
    public static Mode parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (Mode mode : values()) {
            if (v.equals(mode.wireName) || v.equals(Integer.toString(mode.number))) {
                return mode;
            }
        }
        throw new IllegalArgumentException("mode must be 1..4 or mode1_manual_interactive, mode2_auto_interactive, "
                + "mode3_manual_autonomous or mode4_auto_autonomous");
    }

    /** A JSON {@code mode}: a whole number or a string of either form. */
    @JsonCreator
    static Mode fromJson(Object value) {
        return switch (value) {
            case Integer n -> of(n);
            case Long n when n >= 1 && n <= 4 -> of(n.intValue());
            case String s -> parse(s);
            default -> throw new IllegalArgumentException("mode must be 1..4 or a mode name");
        };
    }
}
