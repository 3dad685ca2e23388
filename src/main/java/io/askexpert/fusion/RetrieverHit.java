package io.askexpert.fusion;

import java.util.List;
import java.util.Objects;

/**
 * An expert one retriever found, with its own score (any scale; higher is better) and, for the
 * graph retriever, the nodes that led to it.
 */
record RetrieverHit(String expertId, double score, List<String> path) {

    RetrieverHit {
        Objects.requireNonNull(expertId, "expertId");
        path = List.copyOf(path);
    }

    RetrieverHit(String expertId, double score) {
        this(expertId, score, List.of());
    }
}
