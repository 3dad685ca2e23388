package io.askexpert.bench;

import java.util.List;
import java.util.Locale;

/** Renders the benchmark's Markdown report from its summary, each target marked met or MISSED. */
final class BenchReport {

    private BenchReport() {
    }

    static String markdown(BenchSummary s) {
        BenchPlan plan = s.plan();
        StringBuilder md = new StringBuilder();
        md.append("# Mode 1 overhead: the mock LLM directly vs. through the service\n\n");
        md.append(String.format(Locale.ROOT, "Generated %s on %d cores (%s), Java %s. ", s.generatedAt(),
                s.machine().cores(), s.machine().pinned() ? "mock and service pinned to separate cores" : "not pinned",
                s.machine().java()));
        md.append(String.format(Locale.ROOT, "Mock for latency points: TTFT %d ms, %d tokens/s, %d tokens per answer. "
                        + "%d repeat(s) per point, at least %d streams per run; added values are the median over "
                        + "repeats with the range in brackets, in ms.%n%n",
                plan.latency().ttft().toMillis(), plan.latency().tokensPerSecond(), plan.latency().answerTokens(),
                plan.repeats(), plan.minSamples()));
        if (s.serviceNotMeasured() != null) {
            md.append("**The through-service half was not measured:** ").append(s.serviceNotMeasured())
                    .append("\nOnly the direct path (load generator against the mock) is reported below.\n\n");
        }
        md.append("## Targets (mode 1, embedded default; issue 16)\n\n| target | limit | measured | status |\n|---|---|---|---|\n");
        for (TargetResult t : s.targets()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", t.target(), limit(t), measured(t),
                    t.statusText()));
        }
        if (!s.added().isEmpty()) {
            md.append("\n## Added by the service\n\n")
                    .append("| scenario | streams | added TTFT p50 | added TTFT p99 | added gap p99 | added total p50 "
                            + "| lost-frame streams |\n")
                    .append("|---|---|---|---|---|---|---|\n");
            for (AddedLatency a : s.added()) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %d |%n", a.scenario(), a.streams(),
                        a.ttftP50(), a.ttftP99(), a.gapP99(), a.totalP50(), a.lostFrameStreams()));
            }
        }
        md.append("\n## Runs\n\nEvery run of every point, direct first, then through the service.\n\n")
                .append(LoadReport.markdownHeader()).append('\n');
        for (BenchSummary.Point p : s.points()) {
            rows(md, p.direct());
            rows(md, p.service());
        }
        md.append(String.format(Locale.ROOT, "%n## Concurrency probe%n%nMock while probing: TTFT %d ms, %d tokens/s, "
                        + "%d tokens per answer, so every stream stays open about %d s. Each count is measured "
                        + "directly (the harness's own ceiling) and then through the service (RAG off).%n%n",
                plan.hold().ttft().toMillis(), plan.hold().tokensPerSecond(), plan.hold().answerTokens(),
                plan.hold().streaming().toSeconds()));
        md.append(LoadReport.markdownHeader()).append('\n');
        for (BenchSummary.ProbeStep step : s.probe()) {
            md.append(step.direct().markdownRow()).append('\n');
            if (step.service() != null) {
                md.append(step.service().markdownRow()).append('\n');
            }
        }
        md.append(String.format(Locale.ROOT, "%nHeld with no lost frame: %s through the service; %,d by the mock alone.%n",
                s.held() == null ? "not measured" : String.format(Locale.ROOT, "%,d", s.held()), s.directHeld()));
        BenchSummary.Rss rss = s.serviceRss();
        if (rss.endMiB() >= 0) {
            md.append(String.format(Locale.ROOT, "%nService RSS: %d MiB after start-up, %d MiB at the end, peak %d MiB.%n",
                    rss.idleMiB(), rss.endMiB(), rss.peakMiB()));
        }
        measures(md, s.measures());
        if (!s.hotMethods().isEmpty()) {
            md.append("\n## Where the service spends its CPU\n\nJava Flight Recorder execution samples over the whole "
                    + "run (`service.jfr`): `self` is the method on top of the stack, `project, inclusive` a method of "
                    + "the project anywhere on it.\n\n| view | method | samples | share |\n|---|---|---|---|\n");
            for (BenchSummary.HotMethod h : s.hotMethods()) {
                md.append(String.format(Locale.ROOT, "| %s | `%s` | %d | %.1f %% |%n", h.kind(), h.method(), h.samples(),
                        h.percent()));
            }
        }
        return md.toString();
    }

    private static void measures(StringBuilder md, ServiceMeasures m) {
        if (m.throughput() != null) {
            ServiceMeasures.Throughput t = m.throughput();
            md.append(String.format(Locale.ROOT, "%n## Throughput%n%n%d streams in flight, each asking again as soon as "
                            + "its answer ends; the mock answers at once with %d tokens and no delay between them. "
                            + "Directly: %,.0f answers/s; through the service: %,.0f answers/s (%,d answers, %d errors, "
                            + "%d with lost frames).%n", t.inFlight(), t.answerTokens(), t.directPerSecond(),
                    t.servicePerSecond(), t.serviceRequests(), t.serviceErrors(), t.serviceLostFrameStreams()));
        }
        if (m.idleStreams() != null) {
            ServiceMeasures.IdleStreams i = m.idleStreams();
            md.append(String.format(Locale.ROOT, "%n## Memory per idle stream%n%n%,d mode 1 streams open at once, each "
                            + "waiting for the model's first token: service RSS %,d KiB before, %,d KiB while they were "
                            + "open, %.1f KiB per stream (%,d of them then completed).%n", i.streams(), i.rssBeforeKiB(),
                    i.rssHeldKiB(), i.kibPerStream(), i.streamsCompleted()));
        }
        if (m.startup() != null) {
            ServiceMeasures.Startup st = m.startup();
            md.append(String.format(Locale.ROOT, "%n## Start-up%n%n`%s serve` on a fresh embedded data directory, on "
                            + "every core, without the benchmark's JVM flags, timed from the process's start to the "
                            + "first 200 from `/health`. First start (creates the database, and the launcher's caches "
                            + "when this build has none): %.2f s. Later starts: %s s; resident memory %d s after each: "
                            + "%s MiB.%n", st.launcher(), st.firstSeconds(), st.laterSeconds(), st.idleSeconds(),
                    st.idleRssMiB()));
        }
    }

    /** The targets as a plain-text table for the terminal. */
    static String targetsTable(BenchSummary s) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-56s %-18s %-16s %s%n", "target", "limit",
                "measured", "status"));
        for (TargetResult t : s.targets()) {
            out.append(String.format(Locale.ROOT, "%-56s %-18s %-16s %s%n", t.target(), limit(t), measured(t),
                    t.statusText().replace("*", "")));
        }
        return out.toString();
    }

    private static String limit(TargetResult t) {
        return (t.atMost() ? "≤ " : "≥ ") + number(t.limit()) + " " + t.unit();
    }

    private static String measured(TargetResult t) {
        return t.measured() == null ? "–" : number(Math.round(t.measured() * 100) / 100.0) + " " + t.unit();
    }

    private static void rows(StringBuilder md, List<LoadReport> runs) {
        runs.forEach(r -> md.append(r.markdownRow()).append('\n'));
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
