package io.askexpert.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample from the service's {@code /metrics} text. */
final class PrometheusText {

    private PrometheusText() {
    }

    /** The first sample {@code pattern} matches (its group 1), truncated to a whole number; -1 when absent. */
    static long value(Pattern pattern, String metrics) {
        Matcher m = pattern.matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }
}
