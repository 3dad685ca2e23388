package io.askexpert.bench;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One target of issue 16 against what was measured. A target is judged on the median over
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
     * The targets of issue 16 for mode 1 on the embedded default, in its table's order.
     *
     * @param held     the probe's result, or null when the service was not probed
     * @param measures throughput, idle streams and start-up, each null when not measured
     */
    static List<TargetResult> evaluate(List<AddedLatency> added, @Nullable Integer held, ServiceMeasures measures) {
        List<TargetResult> results = new ArrayList<>();
        AddedLatency off1 = find(added, AddedLatency.RAG_OFF, 1);
        AddedLatency off100 = find(added, AddedLatency.RAG_OFF, 100);
        AddedLatency on1 = find(added, AddedLatency.RAG_ON, 1);
        AddedLatency on100 = find(added, AddedLatency.RAG_ON, 100);
        results.add(judge("added time to first token p50, 1 stream, RAG off", "ms", 2, true,
                off1 == null ? null : off1.ttftP50().median()));
        results.add(judge("added time to first token p99, 100 streams, RAG off", "ms", 30, true,
                off100 == null ? null : off100.ttftP99().median()));
        results.add(judge("added total stream time p50, 100 streams", "ms", 10, true,
                off100 == null ? null : off100.totalP50().median()));
        results.add(judge("added inter-token gap p99, 100 streams", "ms", 2, true,
                off100 == null ? null : off100.gapP99().median()));
        ServiceMeasures.Throughput t = measures.throughput();
        results.add(judge("throughput, " + (t == null ? 100 : t.inFlight()) + " in flight, 0 ms tokens", "answers/s",
                1000, false, t == null ? null : t.servicePerSecond()));
        results.add(judge("RAG on: added time to first token p50, 1 stream", "ms", 8, true,
                on1 == null ? null : on1.ttftP50().median()));
        results.add(judge("RAG on: added time to first token p99, 100 streams", "ms", 300, true,
                on100 == null ? null : on100.ttftP99().median()));
        results.add(judge("concurrent live streams, zero lost frames, zero 5xx", "streams", BenchPlan.HOLD_TARGET, false,
                held == null ? null : held.doubleValue()));
        ServiceMeasures.IdleStreams idle = measures.idleStreams();
        results.add(judge("memory per idle live stream", "KiB", 64, true, idle == null ? null : idle.kibPerStream()));
        ServiceMeasures.Startup startup = measures.startup();
        AddedLatency.Spread later = startup == null ? null : startup.later();
        AddedLatency.Spread idleRss = startup == null ? null : startup.idleRss();
        results.add(judge("start to /health, embedded default, later starts", "s", 3, true,
                later == null ? null : later.median()));
        results.add(judge("idle resident memory", "MiB", 350, true, idleRss == null ? null : idleRss.median()));
        return results;
    }

    private static @Nullable AddedLatency find(List<AddedLatency> added, String scenario, int streams) {
        return added.stream().filter(a -> a.scenario().equals(scenario) && a.streams() == streams)
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
