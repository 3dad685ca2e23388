package io.askexpert.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code bench run} measures. Defaults fit the 10-minute budget on a 2-core machine.
 *
 * @param concurrency    stream counts measured directly against the mock and through the service
 * @param repeats        runs per point, to report spread
 * @param minSamples     at least this many streams per run: a point with fewer concurrent streams
 *                       opens them one after another ({@link LoadSpec#rounds()})
 * @param probe          stream counts tried, in order, for the largest number held with no lost frame
 * @param latency        the mock's shape while latency is measured: short answers, many samples
 * @param hold           the mock's shape during the probe: answers long enough that every stream
 *                       is open at the same moment
 * @param ragOn          also measure with retrieval on (reported separately)
 * @param directOnly     measure the mock alone (the generator's own ceiling), start no service
 * @param profile        record the service with Java Flight Recorder and summarise its hot methods
 */
public record BenchPlan(List<Integer> concurrency, int repeats, int minSamples, List<Integer> probe,
                        MockShape latency, MockShape hold, boolean ragOn, boolean directOnly, boolean profile,
                        Path outDir) {

    /** The streams the probe must hold for the concurrency target to be met. */
    public static final int HOLD_TARGET = 5000;

    /**
     * How the mock LLM answers.
     *
     * @param ttft            its own time to first token
     * @param tokensPerSecond its streaming rate per stream
     * @param answerTokens    tokens per answer: the frames each stream must deliver
     */
    public record MockShape(Duration ttft, int tokensPerSecond, int answerTokens) {
        public MockShape {
            if (ttft.isNegative() || tokensPerSecond < 1 || answerTokens < 1) {
                throw new IllegalArgumentException("mock TTFT must be >= 0, tokens per second and answer tokens >= 1");
            }
        }

        /** How long one answer streams, first token to last. */
        public Duration streaming() {
            return Duration.ofMillis(1000L * (answerTokens - 1) / tokensPerSecond);
        }
    }

    /**
     * Latency points: 20 frames a second is a provider sending a few tokens per delta; short answers
     * keep a dozen sequential samples at one stream within the time budget, and 1,000 streams at
     * 20,000 frames a second leave the mock and the generator, which share one core, room to spare.
     */
    private static final MockShape LATENCY = new MockShape(Duration.ofMillis(100), 20, 12);

    /** The probe: answers of about 6 s, so every stream is open at once after a ramp of 2-3 s. */
    private static final MockShape HOLD = new MockShape(Duration.ofMillis(100), 8, 48);

    /** Throughput: the peer rig's answers (64 tokens) with no delay between tokens and none before the first. */
    static final MockShape THROUGHPUT = new MockShape(Duration.ZERO, 1_000_000, 64);

    /** Streams held in flight while throughput is measured, and the answers each asks for in the timed run. */
    static final int THROUGHPUT_IN_FLIGHT = 100;
    static final int THROUGHPUT_ROUNDS = 20;

    /**
     * Idle streams: the model takes 12 s to its first token (under the service's 20 s first-token
     * timeout), so each stream is open and silent while the service's memory is sampled.
     */
    static final MockShape IDLE = new MockShape(Duration.ofSeconds(12), 1, 1);

    /** Idle streams opened at once for the memory-per-stream measure. */
    static final int IDLE_STREAMS = 2000;

    /**
     * Timed later starts of the launcher, and the idle time before each one's memory is read: long
     * enough for G1's periodic collection (the launcher asks for one after 15 s idle) to give back heap.
     */
    static final int LATER_STARTS = 3;
    static final Duration IDLE_BEFORE_RSS = Duration.ofSeconds(40);

    public BenchPlan {
        concurrency = List.copyOf(concurrency);
        probe = List.copyOf(probe);
        if (repeats < 1 || minSamples < 1) {
            throw new IllegalArgumentException("repeats and samples must be >= 1");
        }
        if (concurrency.isEmpty() || concurrency.stream().anyMatch(c -> c < 1)
                || probe.stream().anyMatch(c -> c < 1)) {
            throw new IllegalArgumentException("stream counts must be >= 1 and at least one concurrency given");
        }
    }

    /** The full run: three repeats of 1, 100 and 1,000 streams, RAG off and on, probe at 5,000 (halving on a loss). */
    public static BenchPlan standard(Path outDir) {
        return new BenchPlan(List.of(1, 100, 1000), 3, 12, List.of(HOLD_TARGET), LATENCY, HOLD,
                true, false, false, outDir);
    }

    /** A smoke run of the same points: one repeat, fewer samples, probe at the target only. */
    public static BenchPlan quick(Path outDir) {
        return new BenchPlan(List.of(1, 100, 1000), 1, 5, List.of(HOLD_TARGET), LATENCY, HOLD,
                true, false, false, outDir);
    }

    /** Sequential requests per stream so that a run yields at least {@link #minSamples()} streams. */
    public int roundsFor(int streams) {
        return Math.max(1, (minSamples + streams - 1) / streams);
    }

    public BenchPlan withConcurrency(List<Integer> newConcurrency) {
        return new BenchPlan(newConcurrency, repeats, minSamples, probe, latency, hold, ragOn, directOnly, profile, outDir);
    }

    public BenchPlan withRepeats(int newRepeats) {
        return new BenchPlan(concurrency, newRepeats, minSamples, probe, latency, hold, ragOn, directOnly, profile, outDir);
    }

    public BenchPlan withProbe(List<Integer> newProbe) {
        return new BenchPlan(concurrency, repeats, minSamples, newProbe, latency, hold, ragOn, directOnly, profile, outDir);
    }

    public BenchPlan withOptions(boolean newRagOn, boolean newDirectOnly, boolean newProfile) {
        return new BenchPlan(concurrency, repeats, minSamples, probe, latency, hold, newRagOn, newDirectOnly, newProfile,
                outDir);
    }
}
