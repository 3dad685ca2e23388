package io.askexpert.config;

/**
 * How fusion turns its sources' hits into one ranking ({@code FUSION_METHOD}); the wire name is the
 * {@code method} of the {@code fusion} event's evidence. The default is api.md's weighted RRF;
 * docs/CATALOGUE.md compares the two on every routing set.
 */
public enum FusionMethod {
    /** Weighted reciprocal-rank fusion of the hits each source is sure of (k = 60). */
    WEIGHTED_RRF("weighted_rrf"),
    /** Each source's whole list on one scale, weighted and summed. */
    WEIGHTED_SCORE("weighted_score");

    private final String wireName;

    FusionMethod(String wireName) {
        this.wireName = wireName;
    }

    /** {@code weighted_rrf} or {@code weighted_score}, as the evidence spells it. */
    public String wireName() {
        return wireName;
    }
}
