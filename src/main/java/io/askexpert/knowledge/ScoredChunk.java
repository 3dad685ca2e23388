package io.askexpert.knowledge;

/** A chunk id with the score one ranked list gave it. */
record ScoredChunk(long chunkId, double score) {
}
