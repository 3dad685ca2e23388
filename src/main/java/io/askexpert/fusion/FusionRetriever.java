package io.askexpert.fusion;

import java.util.List;

/**
 * One way of finding experts for a question: {@code vector}, {@code graph} or {@code relational}.
 * Implementations return hits best first; they may be slow or fail, and the engine drops them
 * when they miss their deadline.
 */
interface FusionRetriever {

    /** {@code vector}, {@code graph} or {@code relational}: the key of its weight. */
    Source source();

    List<RetrieverHit> retrieve(FusionQuery query) throws Exception;

    /** True when {@link FusionQuery#embedding()} must be set before {@link #retrieve} runs. */
    default boolean needsEmbedding() {
        return false;
    }

    /** True when the source uses {@link FusionQuery#embedding()} if it is there, and works without it. */
    default boolean wantsEmbedding() {
        return needsEmbedding();
    }

    enum Source {
        VECTOR, GRAPH, RELATIONAL;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Source of(String key) {
            return valueOf(key.toUpperCase(java.util.Locale.ROOT));
        }
    }
}
