package io.askexpert.interactive;

import io.askexpert.agents.Agent;
import io.askexpert.knowledge.KnowledgeBase;
import io.askexpert.knowledge.SearchRequest;
import io.askexpert.knowledge.SearchResponse;
import io.askexpert.knowledge.SearchResult;
import io.askexpert.knowledge.SearchStrategy;
import io.askexpert.knowledge.Source;
import io.askexpert.knowledge.TextEmbedder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * Retrieves the passages a panel answers from: the question is embedded once, each member's
 * knowledge namespaces are searched in parallel (hybrid), and the lists are interleaved so every
 * member's knowledge is represented, without duplicates. An expert with no namespaces searches
 * everything its tenant can see. The request's {@code domain} steers the search: it filters
 * first, and is dropped when it would leave nothing.
 */
final class PassageFinder implements AutoCloseable {

    static final int MODE1_PASSAGES = 6;
    static final int PANEL_PASSAGES = 8;

    private final KnowledgeBase knowledge;
    private final TextEmbedder embedder;
    private final ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor();

    PassageFinder(KnowledgeBase knowledge, TextEmbedder embedder) {
        this.knowledge = knowledge;
        this.embedder = embedder;
    }

    /**
     * What was found.
     *
     * @param display passages as the {@code sources} event shows them (short excerpts)
     * @param prompt  the same passages with the whole chunk, as the model reads them
     */
    record Found(List<Source> display, List<Source> prompt, List<String> namespaces, double retrievalMs,
                 double embeddingMs) {
    }

    Found find(String tenantId, Panel panel, String query, Map<String, String> context) {
        int limit = panel.members().size() == 1 ? MODE1_PASSAGES : PANEL_PASSAGES;
        long embedStart = System.nanoTime();
        float[] vector = embedder.embed(query);
        double embeddingMs = (System.nanoTime() - embedStart) / 1e6;
        long started = System.nanoTime();
        List<List<String>> scopes = scopes(panel);
        int perScope = scopes.size() == 1 ? limit : Math.max(3, (limit + scopes.size() - 1) / scopes.size() + 1);
        String domain = context.get("domain");
        List<CompletableFuture<List<SearchResult>>> searches = scopes.stream()
                .map(ns -> CompletableFuture.supplyAsync(() -> search(tenantId, query, vector, ns, perScope, domain), parallel))
                .toList();
        List<List<SearchResult>> lists = searches.stream().map(CompletableFuture::join).toList();
        List<SearchResult> merged = interleave(lists, limit);
        List<Source> display = new ArrayList<>();
        List<Source> prompt = new ArrayList<>();
        for (int i = 0; i < merged.size(); i++) {
            Source s = merged.get(i).toSource(i + 1);
            display.add(s);
            prompt.add(new Source(s.id(), s.index(), s.source(), s.title(), merged.get(i).content(), s.url(),
                    s.confidence(), s.documentId(), s.chunkId(), s.metadata()));
        }
        Set<String> namespaces = new LinkedHashSet<>();
        scopes.forEach(namespaces::addAll);
        return new Found(display, prompt, List.copyOf(namespaces), (System.nanoTime() - started) / 1e6, embeddingMs);
    }

    /** One namespace list per member with namespaces (deduplicated); one empty list (everything) if none has any. */
    private static List<List<String>> scopes(Panel panel) {
        Map<List<String>, Boolean> scopes = new LinkedHashMap<>();
        for (Agent member : panel.members()) {
            if (!member.knowledgeNamespaces().isEmpty()) {
                scopes.put(member.knowledgeNamespaces(), true);
            }
        }
        return scopes.isEmpty() ? List.of(List.of()) : List.copyOf(scopes.keySet());
    }

    private List<SearchResult> search(String tenantId, String query, float[] vector, List<String> namespaces, int topK,
                                      @Nullable String domain) {
        if (domain != null) {
            SearchResponse filtered = knowledge.search(tenantId,
                    new SearchRequest(query, topK, namespaces, domain, SearchStrategy.HYBRID), vector);
            if (!filtered.results().isEmpty()) {
                return filtered.results();
            }
        }
        return knowledge.search(tenantId, new SearchRequest(query, topK, namespaces, null, SearchStrategy.HYBRID), vector)
                .results();
    }

    /** Round-robin over the members' lists, best first within each, skipping chunks already taken. */
    static List<SearchResult> interleave(List<List<SearchResult>> lists, int limit) {
        List<SearchResult> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int rank = 0; out.size() < limit; rank++) {
            boolean any = false;
            for (List<SearchResult> list : lists) {
                if (rank < list.size()) {
                    any = true;
                    SearchResult r = list.get(rank);
                    if (out.size() < limit && seen.add(r.chunkId())) {
                        out.add(r);
                    }
                }
            }
            if (!any) {
                break;
            }
        }
        return out;
    }

    @Override
    public void close() {
        parallel.close();
    }
}
