package io.askexpert.bench;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One target of issue 6 against what was measured. A target is judged on the median over
 * repeats; {@code measured} is null when the point was not measured.
 */
public record TargetResult(String target, String unit, double limit, boolean atMost, @Nullable Double measured,
                           Status status) {

    public enum Status { MET, MISSED, NOT_MEASURED }

    static TargetResult judge(String target, String unit, double limit, boolean atMost, @Nullable Double measured) {
        Status status = measured == null ? Status.NOT_MEASURED
                : (atMost ? measured <= limit : measured >= limit) ? Status.MET : Status.MISSED;
        return new TargetResult(target, unit, limit, atMost, measured, status);
    }

    /**
     * The targets for mode 1 with RAG off on the embedded default.
     *
     * @param held the probe's result, or null when the service was not probed
     */
    static List<TargetResult> evaluate(List<AddedLatency> added, @Nullable Integer held) {
        List<TargetResult> results = new ArrayList<>();
        results.add(judge("added time to first token p50 at 1 stream (RAG off)", "ms", 5, true,
                find(added, 1) == null ? null : find(added, 1).ttftP50().median()));
        results.add(judge("added time to first token p99 at 100 streams (RAG off)", "ms", 20, true,
                find(added, 100) == null ? null : find(added, 100).ttftP99().median()));
        results.add(judge("concurrent streams held with zero lost frames", "streams", BenchPlan.HOLD_TARGET, false,
                held == null ? null : held.doubleValue()));
        return results;
    }

    private static @Nullable AddedLatency find(List<AddedLatency> added, int streams) {
        return added.stream().filter(a -> a.scenario().equals(AddedLatency.RAG_OFF) && a.streams() == streams)
                .findFirst().orElse(null);
    }

    String statusText() {
        return switch (status) {
            case MET -> "met";
            case MISSED -> "**MISSED**";
            case NOT_MEASURED -> "not measured";
        };
    }
}
