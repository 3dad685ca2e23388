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
        md.append("## Targets (mode 1, RAG off, embedded default)\n\n| target | limit | measured | status |\n|---|---|---|---|\n");
        for (TargetResult t : s.targets()) {
            md.append(String.format(Locale.ROOT, "| %s | %s %s %s | %s | %s |%n", t.target(), t.atMost() ? "≤" : "≥",
                    number(t.limit()), t.unit(), t.measured() == null ? "–" : number(t.measured()) + " " + t.unit(),
                    t.statusText()));
        }
        if (!s.added().isEmpty()) {
            md.append("\n## Added by the service\n\n")
                    .append("| scenario | streams | added TTFT p50 | added TTFT p99 | added gap p99 | lost-frame streams |\n")
                    .append("|---|---|---|---|---|---|\n");
            for (AddedLatency a : s.added()) {
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %d |%n", a.scenario(), a.streams(),
                        a.ttftP50(), a.ttftP99(), a.gapP99(), a.lostFrameStreams()));
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

    private static void rows(StringBuilder md, List<LoadReport> runs) {
        runs.forEach(r -> md.append(r.markdownRow()).append('\n'));
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
