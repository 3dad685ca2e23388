package io.askexpert.agents;

import org.jspecify.annotations.Nullable;

/**
 * Filters and paging of {@code GET /agents}: {@code level}, {@code domain} (exact, case-insensitive),
 * {@code q} (full text), {@code status} (null = every status), {@code limit} 1–200, {@code offset} ≥ 0.
 */
public record AgentQuery(@Nullable Integer level, @Nullable String domain, @Nullable String q,
                         @Nullable AgentStatus status, int limit, int offset) {

    public static final int MAX_LIMIT = 200;

    public AgentQuery {
        if (level != null && (level < 1 || level > 5)) {
            throw new IllegalArgumentException("level must be 1-5");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1-" + MAX_LIMIT);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0");
        }
    }

    public static AgentQuery all() {
        return new AgentQuery(null, null, null, null, MAX_LIMIT, 0);
    }
}
