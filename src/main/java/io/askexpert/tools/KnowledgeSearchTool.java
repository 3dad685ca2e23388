package io.askexpert.tools;

import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.knowledge.KnowledgeBase;
import io.askexpert.knowledge.SearchRequest;
import io.askexpert.knowledge.SearchResponse;
import io.askexpert.knowledge.SearchResult;
import io.askexpert.knowledge.SearchStrategy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * {@code knowledge_search}: the knowledge base's hybrid retrieval for the calling tenant (its own
 * documents and the public ones, never another tenant's). Returns numbered passages with their
 * text and, as {@link ToolOutput#sources()}, the citations a report needs. Reads only.
 */
@Component
final class KnowledgeSearchTool implements Tool {

    static final String NAME = "knowledge_search";
    static final int MAX_TOP_K = 20;
    /** A passage's text as given to the model: enough to quote, bounded so ten passages fit a prompt. */
    static final int MAX_PASSAGE_CHARS = 2_000;

    private static final ToolSpec SPEC = new ToolSpec(NAME,
            "Searches the organisation's knowledge base (keyword and semantic) and returns the best passages, each numbered "
                    + "with its title and source. Cite passages by their number.",
            Map.of("type", "object",
                    "properties", Map.of(
                            "query", Map.of("type", "string", "minLength", 1, "maxLength", 2_000,
                                    "description", "what to look for, in words"),
                            "top_k", Map.of("type", "integer", "minimum", 1, "maximum", MAX_TOP_K,
                                    "description", "how many passages (default 5)"),
                            "namespaces", Map.of("type", "array", "maxItems", 20, "items", Map.of("type", "string", "maxLength", 128),
                                    "description", "only these namespaces (default: all the tenant can see)"),
                            "domain", Map.of("type", "string", "maxLength", 128)),
                    "required", List.of("query"),
                    "additionalProperties", false),
            Duration.ofSeconds(15), BigDecimal.ZERO, false, false);

    private final KnowledgeBase knowledge;

    KnowledgeSearchTool(KnowledgeBase knowledge) {
        this.knowledge = knowledge;
    }

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public ToolOutput run(ToolInvocation invocation) {
        Map<String, @Nullable Object> input = invocation.input();
        int topK = input.get("top_k") instanceof Number n ? n.intValue() : 5;
        List<String> namespaces = input.get("namespaces") instanceof List<?> list
                ? list.stream().map(String::valueOf).toList() : List.of();
        SearchResponse response;
        try {
            SearchRequest request = new SearchRequest((String) input.get("query"), topK, namespaces,
                    (String) input.get("domain"), SearchStrategy.HYBRID);
            response = knowledge.search(invocation.tenantId(), request);
        } catch (AskExpertException e) {
            if (e.code() == ErrorCode.VALIDATION_ERROR) {
                throw new InvalidToolInput(e.getMessage());
            }
            throw e;
        }
        List<Map<String, @Nullable Object>> passages = new ArrayList<>();
        for (int i = 0; i < response.results().size(); i++) {
            SearchResult r = response.results().get(i);
            Map<String, @Nullable Object> passage = new LinkedHashMap<>();
            passage.put("index", i + 1);
            passage.put("title", r.title());
            passage.put("heading", r.heading());
            passage.put("text", r.content().length() <= MAX_PASSAGE_CHARS ? r.content()
                    : r.content().substring(0, MAX_PASSAGE_CHARS) + "…");
            passage.put("url", r.url());
            passage.put("namespace", r.namespace());
            passage.put("document_id", r.documentId());
            passage.put("confidence", Math.round(r.confidence() * 1000) / 1000.0);
            passages.add(passage);
        }
        Map<String, @Nullable Object> value = new LinkedHashMap<>();
        value.put("query", input.get("query"));
        value.put("count", passages.size());
        value.put("passages", passages);
        return new ToolOutput(value, response.sources());
    }
}
