package io.askexpert.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them on a command line: {@code 90s}, {@code 5m}, {@code 1h}, {@code 7d}, {@code 500ms}. */
final class OperatorDurations {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|[smhd]?)");

    private OperatorDurations() {
    }

    static Duration parse(String option, String value, boolean zeroAllowed) {
        Matcher m = FORMAT.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " must look like 90s, 30m, 1h or 7d (got '" + value + "')");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero() && !zeroAllowed) {
            throw new IllegalArgumentException(option + " must be positive");
        }
        return d;
    }
}
