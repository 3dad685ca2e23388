package io.askexpert.bench;

import java.util.List;

/**
 * The cost of going through the service at one concurrency: service minus direct, per repeat,
 * summarised as the median with the range across repeats. {@code totalP50} is the added time from
 * the request to the stream's end: every relayed token that waits in a queue shows there.
 */
public record AddedLatency(String scenario, int streams, Spread ttftP50, Spread ttftP99, Spread gapP99,
                           Spread totalP50, int lostFrameStreams) {

    public static final String RAG_OFF = "mode1 RAG off";
    public static final String RAG_ON = "mode1 RAG on";

    /** Median and range of one quantity over repeats, in ms. */
    public record Spread(double median, double min, double max) {
        static Spread of(List<Double> values) {
            List<Double> sorted = values.stream().sorted().toList();
            int n = sorted.size();
            double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            return new Spread(round(median), round(sorted.getFirst()), round(sorted.getLast()));
        }

        private static double round(double v) {
            return Math.round(v * 100) / 100.0;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%.2f (%.2f – %.2f)", median, min, max);
        }
    }

    static AddedLatency of(String scenario, int streams, List<LoadReport> direct, List<LoadReport> service) {
        if (direct.size() != service.size() || direct.isEmpty()) {
            throw new IllegalArgumentException("need as many direct as service runs, at least one");
        }
        List<Double> ttft50 = new java.util.ArrayList<>();
        List<Double> ttft99 = new java.util.ArrayList<>();
        List<Double> gap99 = new java.util.ArrayList<>();
        List<Double> total50 = new java.util.ArrayList<>();
        int lost = 0;
        for (int i = 0; i < direct.size(); i++) {
            ttft50.add(service.get(i).firstTokenMs().p50() - direct.get(i).firstTokenMs().p50());
            ttft99.add(service.get(i).firstTokenMs().p99() - direct.get(i).firstTokenMs().p99());
            gap99.add(service.get(i).gapMs().p99() - direct.get(i).gapMs().p99());
            total50.add(service.get(i).totalMs().p50() - direct.get(i).totalMs().p50());
            lost = Math.max(lost, service.get(i).streamsWithLostFrames());
        }
        return new AddedLatency(scenario, streams, Spread.of(ttft50), Spread.of(ttft99), Spread.of(gap99), Spread.of(total50),
                lost);
    }
}
