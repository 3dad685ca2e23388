package io.askexpert.evaluation;

import io.askexpert.bench.Percentiles;
import io.askexpert.knowledge.IngestOutcome;
import io.askexpert.knowledge.IngestReport;
import io.askexpert.knowledge.KnowledgeBase;
import io.askexpert.knowledge.SearchRequest;
import io.askexpert.knowledge.SearchResponse;
import io.askexpert.knowledge.SearchStrategy;
import io.askexpert.knowledge.TextEmbedder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Retrieval latency over a large corpus: the path {@code POST /knowledge/search} takes
 * ({@link KnowledgeBase#search(String, SearchRequest, float[])}: visible partitions, keyword and
 * vector lists, fusion, loading what citations need), timed with the query's vector already
 * computed; the query embedding is timed on its own. Queries are asked one after another, each
 * strategy in turn for every query, so a slow moment of the machine hurts every strategy alike.
 */
public final class RetrievalBenchmark {

    /** One strategy's latencies (or the query embedding's, with a null strategy). */
    public record Row(String what, Percentiles latency, double meanResults) {
    }

    /** What a run measured. */
    public record Report(String vectorStore, String fusion, long chunks, int topK, int warmup, List<Row> rows) {

        /** A Markdown table: one row per strategy, then the query embedding. */
        public String table() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "vector store %s, hybrid fusion %s, %,d chunks, top_k %d, %d warm-up queries%n",
                    vectorStore, fusion, chunks, topK, warmup));
            sb.append("| measured | queries | p50 ms | p90 ms | p99 ms | max ms | mean results |\n");
            sb.append("|---|---|---|---|---|---|---|\n");
            for (Row r : rows) {
                Percentiles p = r.latency();
                sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.1f |%n", r.what(), p.count(),
                        p.p50(), p.p90(), p.p99(), p.max(), r.meanResults()));
            }
            return sb.toString();
        }
    }

    private final KnowledgeBase knowledgeBase;
    private final TextEmbedder embedder;

    public RetrievalBenchmark(KnowledgeBase knowledgeBase, TextEmbedder embedder) {
        this.knowledgeBase = knowledgeBase;
        this.embedder = embedder;
    }

    /** Chunks the tenant already holds: a kept corpus is measured again without loading it. */
    public long chunks(String tenantId) {
        return knowledgeBase.counts(tenantId).get("chunks");
    }

    /** Writes the corpus with its prepared vectors (no embedding); returns the failures. */
    public IngestReport load(String tenantId, BenchmarkCorpus corpus, Consumer<IngestOutcome> progress) {
        return knowledgeBase.ingestPrepared(tenantId, corpus.documents(), corpus.chunkVectors(), progress);
    }

    /**
     * Embeds each query once (timed), then asks {@code queries} of them (cycling) with every
     * strategy, after {@code warmup} unmeasured rounds.
     */
    public Report measure(String tenantId, List<String> namespaces, List<String> texts, int queries, int warmup, int topK,
                          IntConsumer progress) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no query to ask");
        }
        embedder.awaitReady();
        int distinct = Math.min(texts.size(), queries + warmup);
        List<float[]> vectors = new ArrayList<>(distinct);
        long[] embedding = new long[distinct];
        for (int i = 0; i < distinct; i++) {
            long t0 = System.nanoTime();
            vectors.add(embedder.embed(texts.get(i)));
            embedding[i] = System.nanoTime() - t0;
        }
        SearchStrategy[] strategies = SearchStrategy.values();
        Map<SearchStrategy, long[]> nanos = new EnumMap<>(SearchStrategy.class);
        Map<SearchStrategy, Long> results = new EnumMap<>(SearchStrategy.class);
        for (SearchStrategy s : strategies) {
            nanos.put(s, new long[queries]);
            results.put(s, 0L);
        }
        for (int i = 0; i < warmup + queries; i++) {
            int q = i % distinct;
            for (int k = 0; k < strategies.length; k++) {
                SearchStrategy s = strategies[(i + k) % strategies.length];
                SearchRequest request = new SearchRequest(texts.get(q), topK, namespaces, null, s);
                long t0 = System.nanoTime();
                SearchResponse r = knowledgeBase.search(tenantId, request, vectors.get(q));
                long elapsed = System.nanoTime() - t0;
                if (i >= warmup) {
                    nanos.get(s)[i - warmup] = elapsed;
                    results.merge(s, (long) r.results().size(), Long::sum);
                }
            }
            progress.accept(i + 1);
        }
        List<Row> rows = new ArrayList<>();
        for (SearchStrategy s : strategies) {
            rows.add(new Row(s.wireName() + " search", Percentiles.ofNanos(nanos.get(s)), results.get(s) / (double) queries));
        }
        rows.add(new Row("query embedding", Percentiles.ofNanos(embedding), 0));
        return new Report(knowledgeBase.vectorStore(), knowledgeBase.fusion().wireName(), chunks(tenantId), topK, warmup,
                rows);
    }
}
