package io.askexpert.bench;

import java.util.Arrays;

/** Nearest-rank percentiles over a sample, in milliseconds. */
public record Percentiles(int count, double p50, double p90, double p99, double max) {

    public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0);

    public static Percentiles ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            return EMPTY;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new Percentiles(sorted.length, ms(rank(sorted, 0.50)), ms(rank(sorted, 0.90)),
                ms(rank(sorted, 0.99)), ms(sorted[sorted.length - 1]));
    }

    private static long rank(long[] sorted, double q) {
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
