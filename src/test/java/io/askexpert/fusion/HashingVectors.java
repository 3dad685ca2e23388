package io.askexpert.fusion;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic bag-of-words embedding (token hashes into 256 buckets, unit length): texts that
 * share words are close. Counts the texts it embedded, so tests can see what a rebuild re-embedded.
 */
final class HashingVectors implements TextVectors {

    final AtomicInteger embedded = new AtomicInteger();

    @Override
    public float[] embed(String text) {
        embedded.incrementAndGet();
        float[] v = new float[256];
        for (String token : ConceptGraph.tokens(text)) {
            v[Math.floorMod(token.hashCode(), v.length)] += 1;
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (v[i] / Math.sqrt(norm));
            }
        }
        return v;
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        return texts.stream().map(this::embed).toList();
    }
}
