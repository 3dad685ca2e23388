/**
 * Measured quality and latency of the capabilities, for the {@code eval} commands: routing on
 * labelled sets against a TF-IDF baseline ({@link io.askexpert.evaluation.RoutingEvaluation}),
 * fusion latency, retrieval quality on BEIR folders and retrieval latency on large corpora. No
 * capability imports this package; it imports theirs.
 */
@NullMarked
package io.askexpert.evaluation;

import org.jspecify.annotations.NullMarked;
