package io.askexpert.knowledge;

import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.InputText;
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
        if (InputText.isInvisible(query)) {
            throw AskExpertException.invalid("query", "query must not be empty (it needs visible characters)");
        }
        if (topK < 1 || topK > MAX_TOP_K) {
            throw AskExpertException.invalid("top_k", "top_k must be between 1 and 100");
        }
        namespaces = namespaces == null ? List.of() : namespaces;
        for (int i = 0; i < namespaces.size(); i++) {
            String n = namespaces.get(i);
            if (n == null || n.isBlank() || n.length() > DocumentInput.MAX_NAMESPACE) {
                throw AskExpertException.invalid("namespaces[" + i + "]", "namespaces[" + i + "] must be a namespace name of 1 to "
                        + DocumentInput.MAX_NAMESPACE + " characters");
            }
        }
        namespaces = List.copyOf(namespaces);
        if (domain != null && domain.length() > DocumentInput.MAX_DOMAIN) {
            throw AskExpertException.invalid("domain", "domain must be at most " + DocumentInput.MAX_DOMAIN + " characters");
        }
        domain = domain == null || domain.isBlank() ? null : domain;
        strategy = strategy == null ? SearchStrategy.HYBRID : strategy;
    }

    public static SearchRequest of(String query, int topK, List<String> namespaces) {
        return new SearchRequest(query, topK, namespaces, null, SearchStrategy.HYBRID);
    }
}
