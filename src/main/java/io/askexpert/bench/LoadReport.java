package io.askexpert.bench;

import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;

/**
 * The summary of one run: percentiles of time to first byte, time to first token and
 * inter-token gaps over every stream, plus completeness. {@code streams} is the concurrency,
 * {@code requests} the streams opened in all (streams × rounds); the counts are over requests.
 */
public record LoadReport(String name, int streams, int requests, int completed, int errors, int streamsWithLostFrames,
                         long tokensReceived, long tokensExpected, Percentiles firstByteMs,
                         Percentiles firstTokenMs, Percentiles gapMs, Percentiles totalMs,
                         double wallSeconds, List<String> sampleErrors) {

    public static LoadReport of(String name, LoadSpec spec, List<StreamResult> results, double wallSeconds) {
        int completed = (int) results.stream().filter(StreamResult::completed).count();
        int errors = (int) results.stream().filter(r -> r.error() != null).count();
        int lost = (int) results.stream().filter(r -> r.lostFrames(spec.expectedTokens())).count();
        long tokens = results.stream().mapToLong(StreamResult::tokens).sum();
        return new LoadReport(name, spec.streams(), results.size(), completed, errors, lost, tokens,
                (long) spec.expectedTokens() * results.size(),
                Percentiles.ofNanos(results.stream().mapToLong(StreamResult::firstByteNanos).filter(n -> n >= 0).toArray()),
                Percentiles.ofNanos(results.stream().mapToLong(StreamResult::firstTokenNanos).filter(n -> n >= 0).toArray()),
                Percentiles.ofNanos(results.stream().flatMapToLong(r -> LongStream.of(r.gapsNanos())).toArray()),
                Percentiles.ofNanos(results.stream().mapToLong(StreamResult::totalNanos).filter(n -> n >= 0).toArray()),
                wallSeconds,
                results.stream().map(StreamResult::error).filter(e -> e != null).distinct().limit(5).toList());
    }

    /** One Markdown table row; {@link #markdownHeader()} gives the matching header. */
    public String markdownRow() {
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |",
                name, streams, requests, completed, errors, streamsWithLostFrames,
                firstByteMs.p50(), firstTokenMs.p50(), firstTokenMs.p99(), gapMs.p50(), gapMs.p99(), totalMs.p99());
    }

    public static String markdownHeader() {
        return "| run | streams | requests | completed | errors | lost-frame streams | TTFB p50 ms | TTFT p50 ms "
                + "| TTFT p99 ms | gap p50 ms | gap p99 ms | total p99 ms |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|";
    }
}
