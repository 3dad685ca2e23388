package io.askexpert.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a soak measured and whether it met issue 16's three criteria: no lost frame, no server
 * error, and heap after a full collection at the end within {@link SoakPlan#HEAP_GROWTH_LIMIT} of
 * the start (both read while every stream is live).
 *
 * @param heldMean        live streams, mean of one sample a second over the hold
 * @param heldMin         the fewest live at any of those samples
 * @param mockFramesSent  token frames the mock wrote over the soak (its {@code /_mock/stats})
 * @param mockAnswers     answers the mock completed over the soak
 * @param heapSamples     heap after GC during the hold, in order, the first and last judged
 * @param loadAverages    the machine's 1-minute load average at each progress line
 */
public record SoakSummary(String startedAt, int streams, double holdMinutes, BenchPlan.MockShape answer, int poolSize,
                          double heldMean, int heldMin, long answers, long cleanAnswers, long tokens,
                          Map<SoakStream.Failure, Long> failures, List<String> failureExamples,
                          long mockFramesSent, long mockAnswers, long heapIdleBeforeKiB, long heapIdleAfterKiB,
                          List<HeapSample> heapSamples, long rssStartMiB, long rssEndMiB, long rssPeakMiB,
                          List<Double> loadAverages) {

    /** Heap after a full collection at {@code minute} of the hold. */
    public record HeapSample(double minute, long usedKiB, int liveStreams) {
    }

    public SoakSummary {
        failures = Map.copyOf(failures);
        failureExamples = List.copyOf(failureExamples);
        heapSamples = List.copyOf(heapSamples);
        loadAverages = List.copyOf(loadAverages);
    }

    public long serverErrors() {
        return failures.entrySet().stream().filter(e -> e.getKey().serverError()).mapToLong(Map.Entry::getValue).sum();
    }

    public long lostFrameAnswers() {
        return failures.entrySet().stream().filter(e -> !e.getKey().serverError()).mapToLong(Map.Entry::getValue).sum();
    }

    /**
     * No answer lost a frame and every token frame the mock sent arrived. An answer refused with a
     * 5xx before the model was asked has no frames to lose; it counts against {@link #noServerErrors()}.
     */
    public boolean noLostFrames() {
        return lostFrameAnswers() == 0 && answers > 0 && tokens == mockFramesSent;
    }

    public boolean noServerErrors() {
        return serverErrors() == 0;
    }

    /** Heap at the end over heap at the start, or NaN without two samples. */
    public double heapRatio() {
        return heapSamples.size() < 2 || heapSamples.getFirst().usedKiB() <= 0 ? Double.NaN
                : heapSamples.getLast().usedKiB() / (double) heapSamples.getFirst().usedKiB();
    }

    public boolean flatHeap() {
        return heapRatio() <= 1 + SoakPlan.HEAP_GROWTH_LIMIT;
    }

    public boolean passed() {
        return noLostFrames() && noServerErrors() && flatHeap();
    }

    /** The summary a person reads at the end of the run. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Soak %s: %,d mode 1 streams for %.1f min (answers of %d tokens at %d/s after %d ms), "
                        + "DATABASE_POOL_SIZE %d%n", startedAt, streams, holdMinutes, answer.answerTokens(),
                answer.tokensPerSecond(), answer.ttft().toMillis(), poolSize));
        b.append(String.format(Locale.ROOT, "streams live: mean %.1f, min %d (one sample a second over the hold)%n",
                heldMean, heldMin));
        b.append(String.format(Locale.ROOT, "answers %,d, clean %,d; token frames received %,d, the mock sent %,d "
                + "in %,d answers%n", answers, cleanAnswers, tokens, mockFramesSent, mockAnswers));
        failures.entrySet().stream().filter(e -> e.getValue() > 0).sorted(Map.Entry.comparingByKey())
                .forEach(e -> b.append("  ").append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
        failureExamples.forEach(x -> b.append("  e.g. ").append(x).append('\n'));
        b.append("heap after GC (MiB) during the hold:");
        heapSamples.forEach(h -> b.append(String.format(Locale.ROOT, " %.1f min %.1f (%d live);", h.minute(),
                h.usedKiB() / 1024.0, h.liveStreams())));
        b.append(String.format(Locale.ROOT, "%nheap after GC idle: %.1f MiB before the soak, %.1f MiB after it%n",
                heapIdleBeforeKiB / 1024.0, heapIdleAfterKiB / 1024.0));
        b.append(String.format(Locale.ROOT, "RSS: %,d MiB at the hold's start, %,d MiB at its end, peak %,d MiB%n",
                rssStartMiB, rssEndMiB, rssPeakMiB));
        b.append(String.format(Locale.ROOT, "load average (1 min): %s%n", loadRange()));
        b.append(String.format(Locale.ROOT, "%-44s %s%n", "zero lost frames", verdict(noLostFrames())));
        b.append(String.format(Locale.ROOT, "%-44s %s (%d)%n", "zero 5xx (HTTP 5xx or error events)",
                verdict(noServerErrors()), serverErrors()));
        b.append(String.format(Locale.ROOT, "%-44s %s (end/start %.3f)%n", "heap after GC at the end within 10 % of start",
                verdict(flatHeap()), heapRatio()));
        b.append("SOAK ").append(passed() ? "PASSED" : "FAILED").append('\n');
        return b.toString();
    }

    private String loadRange() {
        if (loadAverages.isEmpty()) {
            return "unknown";
        }
        double min = loadAverages.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = loadAverages.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double mean = loadAverages.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return String.format(Locale.ROOT, "%.2f - %.2f, mean %.2f", min, max, mean);
    }

    private static String verdict(boolean met) {
        return met ? "PASS" : "FAIL";
    }
}
