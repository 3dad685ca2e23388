package io.askexpert.bench;

import java.util.List;
import java.util.Locale;

/** Renders the benchmark's Markdown report, with each target marked met or missed. */
final class BenchReport {

    private BenchReport() {
    }

    static String markdown(BenchPlan plan, List<AddedLatency> added, int held, List<LoadReport> probes, long[] rss) {
        StringBuilder md = new StringBuilder();
        md.append("# Mode 1 overhead: the mock LLM directly vs. through the service\n\n");
        md.append(String.format(Locale.ROOT, "Mock: TTFT %d ms, %d tokens/s, %d tokens per answer. %d repeats per point; "
                        + "values are the median with the range over repeats, in ms.%n%n",
                plan.mockTtft().toMillis(), plan.tokensPerSecond(), plan.answerTokens(), plan.repeats()));
        md.append("| scenario | streams | added TTFT p50 | added TTFT p99 | added gap p99 | lost-frame streams |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (AddedLatency a : added) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %d |%n", a.scenario(), a.streams(),
                    a.ttftP50(), a.ttftP99(), a.gapP99(), a.lostFrameStreams()));
        }
        md.append("\n## Targets\n\n");
        target(md, added, "mode1 RAG off", 1, "added TTFT p50 ≤ 5 ms at 1 stream", a -> a.ttftP50().median() <= 5);
        target(md, added, "mode1 RAG off", 100, "added TTFT p99 ≤ 20 ms at 100 streams", a -> a.ttftP99().median() <= 20);
        md.append(String.format(Locale.ROOT, "- ≥ 2,000 concurrent streams with zero lost frames: %s (held %d)%n",
                held >= 2000 ? "met" : "MISSED", held));
        md.append("\n## Concurrency probe (through the service, RAG off)\n\n").append(LoadReport.markdownHeader()).append('\n');
        probes.forEach(p -> md.append(p.markdownRow()).append('\n'));
        md.append(String.format(Locale.ROOT, "%nService RSS at the end: %d MiB (peak %d MiB).%n", rss[0], rss[1]));
        return md.toString();
    }

    private static void target(StringBuilder md, List<AddedLatency> added, String scenario, int streams, String text,
                               java.util.function.Predicate<AddedLatency> met) {
        added.stream().filter(a -> a.scenario().equals(scenario) && a.streams() == streams).findFirst().ifPresentOrElse(
                a -> md.append("- ").append(text).append(": ").append(met.test(a) ? "met" : "MISSED").append('\n'),
                () -> md.append("- ").append(text).append(": not measured\n"));
    }
}
