package io.askexpert.bench;

import java.util.List;
import java.util.OptionalInt;

/**
 * Chooses the stream counts of the concurrency probe: up the ladder while every step holds; when
 * the first step already loses frames, halve until one holds, so the report names a number the
 * service does hold rather than only "less than the target".
 */
final class ConcurrencyProbe {

    /** Below this the probe stops halving: the latency points already cover small counts. */
    static final int FLOOR = 100;

    /** One tried count: whether every stream completed with all its frames and no error. */
    record Outcome(int streams, boolean clean) {
        static Outcome of(LoadReport report) {
            return new Outcome(report.streams(), report.streamsWithLostFrames() == 0 && report.errors() == 0);
        }
    }

    private ConcurrencyProbe() {
    }

    static OptionalInt next(List<Integer> ladder, List<Outcome> done) {
        if (done.isEmpty()) {
            return ladder.isEmpty() ? OptionalInt.empty() : OptionalInt.of(ladder.getFirst());
        }
        Outcome last = done.getLast();
        boolean anyClean = done.stream().anyMatch(Outcome::clean);
        boolean anyFailed = done.stream().anyMatch(o -> !o.clean());
        if (last.clean()) {
            if (anyFailed) {
                return OptionalInt.empty();
            }
            return ladder.stream().mapToInt(Integer::intValue).filter(s -> s > last.streams()).findFirst();
        }
        if (anyClean) {
            return OptionalInt.empty();
        }
        int half = last.streams() / 2;
        return half >= FLOOR ? OptionalInt.of(half) : OptionalInt.empty();
    }

    /** The largest count held with no lost frame, or 0 when none was. */
    static int held(List<Outcome> done) {
        return done.stream().filter(Outcome::clean).mapToInt(Outcome::streams).max().orElse(0);
    }
}
