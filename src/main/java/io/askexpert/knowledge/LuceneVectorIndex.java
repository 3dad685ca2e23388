package io.askexpert.knowledge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Lucene HNSW index under the data directory, for databases without pgvector. PostgreSQL stays
 * the source of truth: at start the index is rebuilt from the stored embeddings whenever its chunk
 * count differs from the database's (a crash between commit and index update, or another process
 * that wrote the database). Searches read a near-real-time reader, so a committed document is
 * searchable at once; Lucene's own commit (an fsync) happens per ingestion batch.
 */
final class LuceneVectorIndex implements VectorIndex {

    private static final Logger log = LoggerFactory.getLogger(LuceneVectorIndex.class);
    private static final String VECTOR = "vec";
    private static final String CHUNK = "chunk";
    private static final String DOCUMENT = "doc";
    private static final String PARTITION = "part";

    private final IndexWriter writer;
    private final SearcherManager searchers;
    /** Writes since the last reader refresh; refreshing per write would cut a segment per document. */
    private final java.util.concurrent.atomic.AtomicBoolean stale = new java.util.concurrent.atomic.AtomicBoolean();

    private LuceneVectorIndex(IndexWriter writer) throws IOException {
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
    }

    static LuceneVectorIndex open(Path directory, DataSource dataSource) {
        try {
            java.nio.file.Files.createDirectories(directory);
            IndexWriter writer = new IndexWriter(FSDirectory.open(directory),
                    new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
            LuceneVectorIndex index = new LuceneVectorIndex(writer);
            index.reconcile(dataSource);
            return index;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the local vector index in " + directory, e);
        }
    }

    private void reconcile(DataSource dataSource) throws IOException {
        long stored;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from knowledge_chunks");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            stored = rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count stored chunks: " + e.getMessage(), e);
        }
        long indexed = writer.getDocStats().numDocs;
        if (stored == indexed) {
            return;
        }
        log.info("Rebuilding the local vector index: {} chunk(s) stored, {} indexed", stored, indexed);
        writer.deleteAll();
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "select id, document_id, partition_id, embedding from knowledge_chunks")) {
                ps.setFetchSize(2_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Array a = rs.getArray(4);
                        writer.addDocument(document(rs.getLong(1), rs.getObject(2, UUID.class), rs.getInt(3),
                                floats((Float[]) a.getArray())));
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read stored embeddings: " + e.getMessage(), e);
        }
        writer.commit();
        searchers.maybeRefreshBlocking();
        log.info("Local vector index rebuilt in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    private static float[] floats(Float[] boxed) {
        float[] v = new float[boxed.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = boxed[i];
        }
        return v;
    }

    private static Document document(long chunkId, UUID documentId, int partitionId, float[] vector) {
        Document d = new Document();
        d.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
        d.add(new StoredField(CHUNK, chunkId));
        d.add(new StringField(DOCUMENT, documentId.toString(), Field.Store.NO));
        d.add(new IntPoint(PARTITION, partitionId));
        return d;
    }

    @Override
    public String name() {
        return "lucene";
    }

    @Override
    public List<ScoredChunk> nearest(float[] query, int[] partitionIds, int k) {
        if (partitionIds.length == 0) {
            return List.of();
        }
        try {
            if (stale.getAndSet(false)) {
                searchers.maybeRefreshBlocking();
            }
            IndexSearcher searcher = searchers.acquire();
            try {
                TopDocs top = searcher.search(
                        new KnnFloatVectorQuery(VECTOR, query, k, IntPoint.newSetQuery(PARTITION, partitionIds)), k);
                List<ScoredChunk> out = new ArrayList<>(top.scoreDocs.length);
                var stored = searcher.storedFields();
                for (ScoreDoc sd : top.scoreDocs) {
                    long chunkId = stored.document(sd.doc).getField(CHUNK).numericValue().longValue();
                    // DOT_PRODUCT scores are (1 + cos) / 2 for unit vectors.
                    out.add(new ScoredChunk(chunkId, 2.0 * sd.score - 1.0));
                }
                return out;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("local vector search failed", e);
        }
    }

    @Override
    public void documentWritten(UUID documentId, List<Long> chunkIds, int partitionId, List<float[]> vectors) {
        try {
            List<Document> docs = new ArrayList<>(chunkIds.size());
            for (int i = 0; i < chunkIds.size(); i++) {
                docs.add(document(chunkIds.get(i), documentId, partitionId, vectors.get(i)));
            }
            writer.updateDocuments(new Term(DOCUMENT, documentId.toString()), docs);
            stale.set(true);
        } catch (IOException e) {
            throw new UncheckedIOException("local vector index update failed", e);
        }
    }

    @Override
    public void documentRemoved(UUID documentId) {
        try {
            writer.deleteDocuments(new Term(DOCUMENT, documentId.toString()));
            stale.set(true);
        } catch (IOException e) {
            throw new UncheckedIOException("local vector index update failed", e);
        }
    }

    /** Number of chunks in the index (what a reconcile compares with the database). */
    long size() {
        return writer.getDocStats().numDocs;
    }

    @Override
    public void commit() {
        try {
            writer.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("local vector index commit failed", e);
        }
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
        } catch (IOException e) {
            log.warn("closing the local vector index: {}", e.getMessage());
        }
    }
}
