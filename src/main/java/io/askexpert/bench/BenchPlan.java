package io.askexpert.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code bench run} measures. Defaults fit the 10-minute budget on a 2-core machine.
 *
 * @param concurrency   stream counts measured directly against the mock and through the service
 * @param repeats       runs per point, to report spread
 * @param probe         stream counts tried, in order, for the largest number held with no lost frame
 * @param mockTtft      the mock provider's own time to first token
 * @param tokensPerSecond the mock's streaming rate per stream
 * @param answerTokens  tokens per answer (the frames each stream must deliver)
 */
public record BenchPlan(List<Integer> concurrency, int repeats, List<Integer> probe, Duration mockTtft,
                        int tokensPerSecond, int answerTokens, boolean ragOn, Path outDir) {

    public BenchPlan {
        concurrency = List.copyOf(concurrency);
        probe = List.copyOf(probe);
        if (repeats < 1 || answerTokens < 1 || tokensPerSecond < 1) {
            throw new IllegalArgumentException("repeats, answer tokens and tokens per second must be >= 1");
        }
    }
}
