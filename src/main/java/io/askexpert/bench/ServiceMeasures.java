package io.askexpert.bench;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code bench run} measures besides latency and the probe: throughput, the memory an idle
 * live stream costs, and how fast the launcher brings the service to {@code /health} and how much
 * memory it then holds. A part is null when it was not measured.
 */
public record ServiceMeasures(@Nullable Throughput throughput, @Nullable IdleStreams idleStreams,
                              @Nullable Startup startup) {

    public static final ServiceMeasures NONE = new ServiceMeasures(null, null, null);

    /**
     * Answers per second with {@code inFlight} streams asking again as soon as each answer ends,
     * the mock sending {@code answerTokens} tokens with no delay.
     */
    public record Throughput(int inFlight, int answerTokens, double directPerSecond, double servicePerSecond,
                             int serviceRequests, int serviceErrors, int serviceLostFrameStreams) {
    }

    /**
     * {@code streams} streams open through the service and waiting for the model's first token:
     * the service's resident memory before and while they are open.
     */
    public record IdleStreams(int streams, int streamsCompleted, long rssBeforeKiB, long rssHeldKiB) {

        /** Resident memory per idle stream, KiB. */
        public double kibPerStream() {
            return streams == 0 ? 0 : Math.max(0, rssHeldKiB - rssBeforeKiB) / (double) streams;
        }
    }

    /**
     * Starts of the launcher ({@code ./ask-expert}) on one fresh embedded data directory: the first
     * (which creates the database and the launcher's caches) and the later ones, each timed from the
     * process's start to the first {@code 200} from {@code /health}, and the resident memory of each
     * later start after {@code idleSeconds} without requests.
     */
    public record Startup(String launcher, double firstSeconds, List<Double> laterSeconds, List<Long> idleRssMiB,
                          int idleSeconds) {

        public Startup {
            laterSeconds = List.copyOf(laterSeconds);
            idleRssMiB = List.copyOf(idleRssMiB);
        }

        public AddedLatency.@Nullable Spread later() {
            return laterSeconds.isEmpty() ? null : AddedLatency.Spread.of(laterSeconds);
        }

        public AddedLatency.@Nullable Spread idleRss() {
            return idleRssMiB.isEmpty() ? null
                    : AddedLatency.Spread.of(idleRssMiB.stream().map(Long::doubleValue).toList());
        }
    }
}
