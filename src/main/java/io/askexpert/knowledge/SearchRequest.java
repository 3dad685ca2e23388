package io.askexpert.knowledge;

import io.askexpert.errors.AskExpertException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A retrieval question. {@code namespaces} empty means every namespace the tenant can see.
 * The HTTP contract caps {@code topK} at 100; in-process callers (evaluation) may ask for more.
 */
public record SearchRequest(String query, int topK, List<String> namespaces, @Nullable String domain,
                            SearchStrategy strategy) {

    public static final int MAX_TOP_K = 1_000;

    public SearchRequest {
        if (query == null || query.isBlank()) {
            throw AskExpertException.invalid("query", "query must not be empty");
        }
        if (topK < 1 || topK > MAX_TOP_K) {
            throw AskExpertException.invalid("top_k", "top_k must be between 1 and 100");
        }
        namespaces = namespaces == null ? List.of() : namespaces.stream().filter(n -> n != null && !n.isBlank()).toList();
        domain = domain == null || domain.isBlank() ? null : domain;
        strategy = strategy == null ? SearchStrategy.HYBRID : strategy;
    }

    public static SearchRequest of(String query, int topK, List<String> namespaces) {
        return new SearchRequest(query, topK, namespaces, null, SearchStrategy.HYBRID);
    }
}
