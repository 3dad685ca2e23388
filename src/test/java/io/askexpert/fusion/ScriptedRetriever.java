package io.askexpert.fusion;

import java.time.Duration;
import java.util.List;

/** A retriever whose answer, delay and failure a test decides; pure-logic tests only. */
record ScriptedRetriever(Source source, List<RetrieverHit> hits, Duration delay, boolean fails)
        implements FusionRetriever {

    /** Hits best first; vector scores one hundredth apart, as cosines of a question with profiles lie close together. */
    static ScriptedRetriever answering(Source source, String... ids) {
        double step = source == Source.VECTOR ? 0.01 : 0.05;
        return new ScriptedRetriever(source, java.util.stream.IntStream.range(0, ids.length)
                .mapToObj(i -> new RetrieverHit(ids[i], 1.0 - i * step, List.of("concept:" + ids[i]),
                        List.of("topic of " + ids[i]))).toList(),
                Duration.ZERO, false);
    }

    ScriptedRetriever slow(Duration by) {
        return new ScriptedRetriever(source, hits, by, false);
    }

    ScriptedRetriever failing() {
        return new ScriptedRetriever(source, hits, delay, true);
    }

    @Override
    public List<RetrieverHit> retrieve(FusionQuery query) throws Exception {
        if (!delay.isZero()) {
            Thread.sleep(delay);
        }
        if (fails) {
            throw new IllegalStateException(source + " is down");
        }
        return hits;
    }
}
