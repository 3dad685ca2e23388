package io.askexpert.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's running counts, shared by every stream's virtual thread: answers, token frames, each
 * kind of failure with the first few (timed, to set beside the service's log), and the streams live at this instant (a request sent and
 * its answer not yet ended).
 */
final class SoakTally {

    private static final int EXAMPLES = 10;

    private final LongAdder answers = new LongAdder();
    private final LongAdder clean = new LongAdder();
    private final LongAdder tokens = new LongAdder();
    private final Map<SoakStream.Failure, LongAdder> failures = new EnumMap<>(SoakStream.Failure.class);
    private final ConcurrentLinkedQueue<String> examples = new ConcurrentLinkedQueue<>();
    private final AtomicInteger exampleCount = new AtomicInteger();
    private final AtomicInteger live = new AtomicInteger();

    SoakTally() {
        for (SoakStream.Failure f : SoakStream.Failure.values()) {
            failures.put(f, new LongAdder());
        }
    }

    void started() {
        live.incrementAndGet();
    }

    void ended(SoakStream.Outcome outcome) {
        live.decrementAndGet();
        answers.increment();
        tokens.add(outcome.tokens());
        if (outcome.failure() == null) {
            clean.increment();
            return;
        }
        failures.get(outcome.failure()).increment();
        if (exampleCount.getAndIncrement() < EXAMPLES) {
            examples.add(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " "
                    + outcome.failure() + ": " + outcome.detail());
        }
    }

    int live() {
        return live.get();
    }

    /** The counts at this instant. */
    Snapshot snapshot() {
        Map<SoakStream.Failure, Long> byKind = new EnumMap<>(SoakStream.Failure.class);
        failures.forEach((k, v) -> byKind.put(k, v.sum()));
        return new Snapshot(answers.sum(), clean.sum(), tokens.sum(), byKind, new ArrayList<>(examples));
    }

    /**
     * @param answers  answers ended, clean or not
     * @param clean    answers with every token, in order, and {@code done}
     * @param tokens   token frames received
     * @param failures answers per kind of failure
     */
    record Snapshot(long answers, long clean, long tokens, Map<SoakStream.Failure, Long> failures, List<String> examples) {

        Snapshot {
            failures = Map.copyOf(failures);
            examples = List.copyOf(examples);
        }

        /** HTTP 5xx answers and {@code error} events. */
        long serverErrors() {
            return failures.entrySet().stream().filter(e -> e.getKey().serverError()).mapToLong(Map.Entry::getValue).sum();
        }

        /** Answers that lost a frame or their end some other way. */
        long lostFrameAnswers() {
            return failures.entrySet().stream().filter(e -> !e.getKey().serverError()).mapToLong(Map.Entry::getValue).sum();
        }
    }
}
