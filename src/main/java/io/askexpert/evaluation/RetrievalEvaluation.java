package io.askexpert.evaluation;

import io.askexpert.knowledge.KnowledgeBase;
import io.askexpert.knowledge.SearchRequest;
import io.askexpert.knowledge.SearchResponse;
import io.askexpert.knowledge.SearchResult;
import io.askexpert.knowledge.SearchStrategy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * nDCG@10 and Recall@100 of a strategy over judged queries, at document level: a document's rank
 * is that of its best chunk, and documents are matched to the judgements by {@code external_id}.
 * Gains are the judged grades (linear), as BEIR's evaluation computes them.
 */
public final class RetrievalEvaluation {

    /** One strategy's scores and latency over the judged queries. */
    public record Scores(SearchStrategy strategy, int queries, double ndcgAt10, double recallAt100,
                         double meanRetrievalMs, double meanEmbeddingMs) {
    }

    /** Chunks asked per query: enough that ~100 distinct documents remain after merging chunks. */
    static final int CHUNK_DEPTH = 300;

    private final KnowledgeBase knowledgeBase;

    public RetrievalEvaluation(KnowledgeBase knowledgeBase) {
        this.knowledgeBase = knowledgeBase;
    }

    public Scores evaluate(String tenantId, String namespace, SearchStrategy strategy, Map<String, String> queries,
                           Map<String, Map<String, Integer>> qrels, IntConsumer progress) {
        double ndcg = 0;
        double recall = 0;
        double retrievalMs = 0;
        double embeddingMs = 0;
        int n = 0;
        for (var judged : qrels.entrySet()) {
            String text = queries.get(judged.getKey());
            if (text == null || text.isBlank()) {
                continue;
            }
            SearchResponse r = knowledgeBase.search(tenantId,
                    new SearchRequest(text, CHUNK_DEPTH, List.of(namespace), null, strategy));
            List<String> ranked = documents(r.results());
            ndcg += ndcgAt(ranked, judged.getValue(), 10);
            recall += recallAt(ranked, judged.getValue(), 100);
            retrievalMs += r.retrievalTimeMs();
            embeddingMs += r.embeddingTimeMs();
            n++;
            progress.accept(n);
        }
        return n == 0 ? new Scores(strategy, 0, 0, 0, 0, 0)
                : new Scores(strategy, n, ndcg / n, recall / n, retrievalMs / n, embeddingMs / n);
    }

    static List<String> documents(List<SearchResult> chunks) {
        Set<String> seen = new LinkedHashSet<>();
        for (SearchResult c : chunks) {
            seen.add(c.externalId() != null ? c.externalId() : c.documentId());
        }
        return new ArrayList<>(seen);
    }

    static double ndcgAt(List<String> ranked, Map<String, Integer> relevant, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranked.size()); i++) {
            dcg += relevant.getOrDefault(ranked.get(i), 0) / log2(i + 2);
        }
        List<Integer> ideal = relevant.values().stream().sorted(java.util.Comparator.reverseOrder()).toList();
        double idcg = 0;
        for (int i = 0; i < Math.min(k, ideal.size()); i++) {
            idcg += ideal.get(i) / log2(i + 2);
        }
        return idcg == 0 ? 0 : dcg / idcg;
    }

    static double recallAt(List<String> ranked, Map<String, Integer> relevant, int k) {
        if (relevant.isEmpty()) {
            return 0;
        }
        long found = ranked.stream().limit(k).filter(relevant::containsKey).count();
        return (double) found / relevant.size();
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
