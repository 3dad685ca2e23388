package io.askexpert.agents;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A relational search over the catalogue: free text (any word, PostgreSQL full text over
 * {@code search_vector}) plus the request context of api.md §5.1 — region, domain, therapeutic
 * area, phase. Context values boost agents that list them (a {@code global} region counts half
 * for any region) and also bring in agents the text alone misses; they never exclude anyone.
 * Values compare case-insensitively with hyphens and underscores read as spaces.
 */
public record CatalogueSearch(String text, @Nullable String region, @Nullable String domain,
                              @Nullable String therapeuticArea, @Nullable String phase, int limit) {

    /** Boost per matching context dimension, on the scale of {@code ts_rank} (mostly 0–1). */
    public static final double CONTEXT_BOOST = 0.2;

    public CatalogueSearch {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1-1000");
        }
        region = normalize(region);
        domain = normalize(domain);
        therapeuticArea = normalize(therapeuticArea);
        phase = normalize(phase);
    }

    public static CatalogueSearch text(String text, int limit) {
        return new CatalogueSearch(text, null, null, null, null, limit);
    }

    static @Nullable String normalize(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return value.strip().toLowerCase(Locale.ROOT).replaceAll("[-_\\s]+", " ");
    }
}
