package io.askexpert.knowledge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Runs a search: resolves the visible partitions, embeds the query (timed apart), runs the keyword
 * and vector lists (in parallel when both are database queries), fuses them ({@link HybridFusion}) and loads what citations need
 * for the survivors.
 */
final class Retrieval implements AutoCloseable {

    /** Each list contributes at least this many candidates to the fusion. */
    private static final int MIN_DEPTH = 100;
    private static final int EXCERPT_CHARS = 320;

    private final Partitions partitions;
    private final KeywordSearch keyword;
    private final VectorIndex vectors;
    private final TextEmbedder embedder;
    private final JdbcClient jdbc;
    private final HybridFusion fusion;
    private final ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor();

    Retrieval(Partitions partitions, KeywordSearch keyword, VectorIndex vectors, TextEmbedder embedder, JdbcClient jdbc,
              HybridFusion fusion) {
        this.partitions = partitions;
        this.keyword = keyword;
        this.vectors = vectors;
        this.embedder = embedder;
        this.jdbc = jdbc;
        this.fusion = fusion;
    }

    SearchResponse search(String tenantId, SearchRequest request) {
        float[] queryVector = null;
        double embeddingMs = 0;
        if (request.strategy() != SearchStrategy.KEYWORD) {
            long t0 = System.nanoTime();
            queryVector = embedder.embed(request.query());
            embeddingMs = (System.nanoTime() - t0) / 1e6;
        }
        return search(tenantId, request, queryVector, embeddingMs);
    }

    /** The search with the query's vector already computed (benchmarks time the two apart). */
    SearchResponse search(String tenantId, SearchRequest request, float[] queryVector, double embeddingMs) {
        long started = System.nanoTime();
        int[] visible = partitions.visible(tenantId, request.namespaces(), request.domain());
        int depth = Math.max(request.topK(), MIN_DEPTH);
        List<ScoredChunk> ranked = switch (request.strategy()) {
            case KEYWORD -> keyword.search(request.query(), visible, request.topK());
            case VECTOR -> vectors.nearest(queryVector, visible, request.topK());
            case HYBRID -> {
                if (vectors.inProcess()) {
                    // Both lists are CPU work in this JVM: on a busy machine a hand-off to another
                    // thread costs more at the tail than running them one after the other.
                    List<ScoredChunk> kw = keyword.search(request.query(), visible, depth);
                    yield fusion.fuse(kw, vectors.nearest(queryVector, visible, depth), request.topK());
                }
                var kw = CompletableFuture.supplyAsync(() -> keyword.search(request.query(), visible, depth), parallel);
                List<ScoredChunk> vec = vectors.nearest(queryVector, visible, depth);
                yield fusion.fuse(kw.join(), vec, request.topK());
            }
        };
        List<SearchResult> results = load(ranked, request.strategy());
        double retrievalMs = (System.nanoTime() - started) / 1e6;
        return new SearchResponse(results, retrievalMs, embeddingMs, request.strategy(), vectors.name());
    }

    private record Row(long chunkId, String documentId, String externalId, String title, String heading,
                       String content, String url, String namespace, String domain) {
    }

    private List<SearchResult> load(List<ScoredChunk> ranked, SearchStrategy strategy) {
        if (ranked.isEmpty()) {
            return List.of();
        }
        Long[] ids = ranked.stream().map(ScoredChunk::chunkId).toArray(Long[]::new);
        Map<Long, Row> rows = new HashMap<>();
        jdbc.sql("""
                select c.id, d.id as document_id, d.external_id, d.title, c.heading, c.content, d.url, d.namespace, d.domain
                from knowledge_chunks c join knowledge_documents d on d.id = c.document_id where c.id = any(?)""")
                .param(ids)
                .query((rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)))
                .list().forEach(r -> rows.put(r.chunkId(), r));
        List<SearchResult> out = new ArrayList<>(ranked.size());
        for (ScoredChunk hit : ranked) {
            Row r = rows.get(hit.chunkId());
            if (r == null) {
                continue; // deleted between ranking and loading
            }
            out.add(new SearchResult(r.documentId(), r.externalId(), Long.toString(r.chunkId()), r.title(), r.heading(),
                    excerpt(r.content()), r.content(), r.url(), hit.score(), confidence(strategy, fusion, hit.score()),
                    r.namespace(), r.domain()));
        }
        return out;
    }

    /**
     * Maps a strategy's score to 0–1: the fused score as its fusion reads it, cosine as is, BM25 by
     * {@code s / (s + 10)}, which is 0.5 for a good single-term hit.
     */
    static double confidence(SearchStrategy strategy, HybridFusion fusion, double score) {
        double c = switch (strategy) {
            case HYBRID -> fusion.confidence(score);
            case VECTOR -> score;
            case KEYWORD -> score / (score + 10.0);
        };
        return Math.max(0, Math.min(1, c));
    }

    /** The chunk's opening, cut at a sentence end (or a word) within {@link #EXCERPT_CHARS}. */
    static String excerpt(String content) {
        String flat = content.replaceAll("\\s+", " ").strip();
        if (flat.length() <= EXCERPT_CHARS) {
            return flat;
        }
        String head = flat.substring(0, EXCERPT_CHARS);
        int sentenceEnd = Math.max(head.lastIndexOf(". "), Math.max(head.lastIndexOf("? "), head.lastIndexOf("! ")));
        if (sentenceEnd > EXCERPT_CHARS / 2) {
            return head.substring(0, sentenceEnd + 1);
        }
        int space = head.lastIndexOf(' ');
        return (space > 0 ? head.substring(0, space) : head) + "…";
    }

    @Override
    public void close() {
        parallel.close();
    }
}
