package io.askexpert.fusion;

import java.util.List;
import java.util.Objects;

/**
 * An expert one retriever found, with its own score (any scale; higher is better), for the graph
 * retriever the nodes that led to it, and what of the question it covers: the concepts (graph) or
 * words (relational) of the question that reached it. A panel member must cover something its
 * lead does not.
 */
record RetrieverHit(String expertId, double score, List<String> path, List<String> covers) {

    RetrieverHit {
        Objects.requireNonNull(expertId, "expertId");
        path = List.copyOf(path);
        covers = List.copyOf(covers);
    }

    RetrieverHit(String expertId, double score, List<String> path) {
        this(expertId, score, path, List.of());
    }

    RetrieverHit(String expertId, double score) {
        this(expertId, score, List.of(), List.of());
    }
}
