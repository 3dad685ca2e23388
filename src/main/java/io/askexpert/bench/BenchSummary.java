package io.askexpert.bench;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything one {@code bench run} measured: written as {@code report.json}, rendered as
 * {@code report.md} by {@link BenchReport}.
 *
 * @param serviceNotMeasured why the through-service half is missing, or null when it was measured
 * @param points             every latency point with its direct and through-service runs
 * @param added              through-service minus direct, per point (empty when not measured)
 * @param probe              the concurrency probe, each step measured directly then through the service
 * @param held               largest stream count the service held with no lost frame, or null
 * @param directHeld         the same for the mock alone: the harness's own ceiling
 * @param measures           throughput, memory per idle stream, start-up time and idle memory
 * @param hotMethods         the service's most sampled methods, when profiled
 */
public record BenchSummary(String generatedAt, Machine machine, BenchPlan plan, @Nullable String serviceNotMeasured,
                           List<Point> points, List<AddedLatency> added, List<TargetResult> targets,
                           List<ProbeStep> probe, @Nullable Integer held, int directHeld, Rss serviceRss,
                           ServiceMeasures measures, List<HotMethod> hotMethods) {

    public BenchSummary {
        points = List.copyOf(points);
        added = List.copyOf(added);
        targets = List.copyOf(targets);
        probe = List.copyOf(probe);
        hotMethods = List.copyOf(hotMethods);
    }

    public record Machine(int cores, boolean pinned, String java) {
    }

    /** One scenario at one concurrency; {@code service} is empty when only the mock was measured. */
    public record Point(String scenario, int streams, int rounds, List<LoadReport> direct, List<LoadReport> service) {
        public Point {
            direct = List.copyOf(direct);
            service = List.copyOf(service);
        }
    }

    public record ProbeStep(int streams, LoadReport direct, @Nullable LoadReport service) {
    }

    /** Resident set size of the service in MiB: after start-up, at the end, and its high-water mark. */
    public record Rss(long idleMiB, long endMiB, long peakMiB) {
        public static final Rss UNKNOWN = new Rss(-1, -1, -1);
    }

    /**
     * A method and its share of execution samples: {@code self} counts samples with the method on
     * top of the stack, {@code project, inclusive} samples with the project's method anywhere on it.
     */
    public record HotMethod(String kind, String method, long samples, double percent) {
    }

    /** Assembles the summary: added latency per point that has both halves, then the targets. */
    static BenchSummary assemble(String generatedAt, Machine machine, BenchPlan plan, @Nullable String serviceNotMeasured,
                                 List<Point> points, List<ProbeStep> probe, Rss rss, ServiceMeasures measures,
                                 List<HotMethod> hotMethods) {
        List<AddedLatency> added = new ArrayList<>();
        for (Point p : points) {
            if (!p.service().isEmpty()) {
                added.add(AddedLatency.of(p.scenario(), p.streams(), p.direct(), p.service()));
            }
        }
        List<ConcurrencyProbe.Outcome> serviceOutcomes = probe.stream().filter(s -> s.service() != null)
                .map(s -> ConcurrencyProbe.Outcome.of(s.service())).toList();
        List<ConcurrencyProbe.Outcome> directOutcomes = probe.stream()
                .map(s -> ConcurrencyProbe.Outcome.of(s.direct())).toList();
        Integer held = serviceOutcomes.isEmpty() ? null : ConcurrencyProbe.held(serviceOutcomes);
        return new BenchSummary(generatedAt, machine, plan, serviceNotMeasured, points, added,
                TargetResult.evaluate(added, held, measures), probe, held, ConcurrencyProbe.held(directOutcomes), rss,
                measures, hotMethods);
    }
}
