package io.askexpert.knowledge;

import io.askexpert.observability.ComponentHealth;
import java.util.List;
import java.util.UUID;

/**
 * Nearest chunks to a query vector, restricted to the visible partitions. PostgreSQL keeps every
 * embedding; this is only the index over them: pgvector's HNSW inside the database, or a local
 * Lucene index (HNSW vectors and the chunks' text) rebuilt from the stored chunks.
 */
sealed interface VectorIndex extends AutoCloseable permits PgVectorIndex, LuceneLocalIndex {

    /** {@code pgvector} or {@code lucene}, as reported by search responses and health. */
    String name();

    /** True when searches run in this JVM (and keyword search with them), false when the database runs them. */
    boolean inProcess();

    /** Up to {@code k} chunks by descending cosine similarity. */
    List<ScoredChunk> nearest(float[] query, int[] partitionIds, int k);

    /** Called after a document's transaction committed; {@code texts} are the chunks as indexed (title, heading, text). */
    void documentWritten(UUID documentId, List<Long> chunkIds, int partitionId, List<float[]> vectors, List<String> texts);

    /** Called after a document's removal committed. */
    void documentRemoved(UUID documentId);

    /**
     * Whether the index can serve now, for {@code vector_index} in {@code /health/detailed}: the
     * pgvector extension still installed in the database, or the local index still open.
     */
    ComponentHealth health();

    /** Makes recent writes durable (a no-op where the database already is the index). */
    void commit();

    @Override
    void close();
}
