package io.askexpert.agents;

/** A full-text hit over the catalogue: the agent and its PostgreSQL {@code ts_rank} score. */
public record ScoredAgent(String id, String slug, double score) {
}
