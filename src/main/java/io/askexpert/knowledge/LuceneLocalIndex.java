package io.askexpert.knowledge;

import io.askexpert.observability.ComponentHealth;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermStatistics;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Lucene index under the data directory, for databases without pgvector: per chunk an HNSW
 * vector and the analysed text, so both halves of a hybrid search run in-process. PostgreSQL
 * stays the source of truth: at start the index is rebuilt from the stored chunks whenever its
 * chunk count differs from the database's (a crash between commit and index update, or another
 * process that wrote the database) or it was written by an older layout or embedding model.
 * Searches read a near-real-time reader, so a committed document is searchable at once; Lucene's own commit (an
 * fsync) happens per ingestion batch.
 *
 * <p>Keyword scores are BM25 (k1 = 1.2, b = 0.75, as {@link KeywordSearch} computes in SQL) with
 * the statistics of the visible partitions only: the chunk count and average length come from
 * the database's partition totals, each term's document frequency is counted under the same
 * partition filter, so one tenant's corpus never shifts another's scores.
 */
final class LuceneLocalIndex implements VectorIndex {

    private static final Logger log = LoggerFactory.getLogger(LuceneLocalIndex.class);
    /** Bumped when the fields change: an index of another layout is rebuilt at start. */
    private static final String LAYOUT = "2";
    private static final String VECTOR = "vec";
    private static final String TEXT = "text";
    private static final String CHUNK = "chunk";
    private static final String DOCUMENT = "doc";
    private static final String PARTITION = "part";
    private static final String PARTITION_TERM = "part_t";

    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final EnglishAnalyzer analyzer;
    /**
     * Writes made, and how many of them the open reader is known to include: readers refresh
     * lazily, because refreshing per write would cut a segment per document.
     */
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong refreshed = new AtomicLong();

    private LuceneLocalIndex(IndexWriter writer, EnglishAnalyzer analyzer) throws IOException {
        this.writer = writer;
        this.analyzer = analyzer;
        this.searchers = new SearcherManager(writer, null);
        writer.setLiveCommitData(Map.of("layout", LAYOUT, "embedding_model", TextEmbedder.MODEL).entrySet());
    }

    /** Opens (and if needed rebuilds) the index; {@code stale}: the stored vectors changed, rebuild whatever the index says. */
    static LuceneLocalIndex open(Path directory, DataSource dataSource, boolean stale) {
        try {
            Files.createDirectories(directory);
            EnglishAnalyzer analyzer = new EnglishAnalyzer();
            IndexWriter writer = new IndexWriter(FSDirectory.open(directory),
                    new IndexWriterConfig(analyzer).setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
            Map<String, String> committed = new java.util.HashMap<>();
            Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
            if (live != null) {
                live.forEach(e -> committed.put(e.getKey(), e.getValue()));
            }
            boolean current = LAYOUT.equals(committed.get("layout"))
                    && TextEmbedder.MODEL.equals(committed.get("embedding_model"));
            LuceneLocalIndex index = new LuceneLocalIndex(writer, analyzer);
            index.reconcile(dataSource, !stale && (current || writer.getDocStats().numDocs == 0));
            return index;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the local index in " + directory, e);
        }
    }

    private void reconcile(DataSource dataSource, boolean layoutCurrent) throws IOException {
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
        if (stored == indexed && layoutCurrent) {
            return;
        }
        log.info("Rebuilding the local index: {} chunk(s) stored, {} indexed{}", stored, indexed,
                layoutCurrent ? "" : ", older layout or embedding model");
        writer.deleteAll();
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                    select c.id, c.document_id, c.partition_id, c.embedding, %s
                    from knowledge_chunks c join knowledge_documents d on d.id = c.document_id"""
                    .formatted(Ingestion.STORED_TEXT_COLUMNS))) {
                ps.setFetchSize(2_000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Array a = rs.getArray(4);
                        String text = Ingestion.indexedText(rs, 5);
                        writer.addDocument(document(rs.getLong(1), rs.getObject(2, UUID.class), rs.getInt(3),
                                floats((Float[]) a.getArray()), text));
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read stored chunks: " + e.getMessage(), e);
        }
        writer.commit();
        searchers.maybeRefreshBlocking();
        log.info("Local index rebuilt in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    private static float[] floats(Float[] boxed) {
        float[] v = new float[boxed.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = boxed[i];
        }
        return v;
    }

    private static Document document(long chunkId, UUID documentId, int partitionId, float[] vector, String text) {
        Document d = new Document();
        d.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
        d.add(new TextField(TEXT, text, Field.Store.NO));
        d.add(new StoredField(CHUNK, chunkId));
        d.add(new StringField(DOCUMENT, documentId.toString(), Field.Store.NO));
        d.add(new IntPoint(PARTITION, partitionId));
        d.add(new StringField(PARTITION_TERM, Integer.toString(partitionId), Field.Store.NO));
        return d;
    }

    @Override
    public boolean inProcess() {
        return true;
    }

    @Override
    public ComponentHealth health() {
        if (!writer.isOpen()) {
            return ComponentHealth.unhealthy("the local Lucene index is closed");
        }
        int chunks = writer.getDocStats().numDocs;
        return ComponentHealth.healthy("local Lucene index: " + chunks + (chunks == 1 ? " chunk" : " chunks"));
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
        return read(searcher -> {
            TopDocs top = searcher.search(
                    new KnnFloatVectorQuery(VECTOR, query, k, IntPoint.newSetQuery(PARTITION, partitionIds)), k);
            // DOT_PRODUCT scores are (1 + cos) / 2 for unit vectors.
            return chunks(searcher, top, score -> 2.0 * score - 1.0);
        });
    }

    /**
     * BM25 over the visible partitions: {@code terms} are analysed query terms with their counts
     * (each weighs as many times as it occurs), {@code stats} the partitions' chunk count and
     * total length. Scores are on the SQL side's scale.
     */
    List<ScoredChunk> keyword(Map<String, Integer> terms, int[] partitionIds, Partitions.CorpusStats stats, int k) {
        if (terms.isEmpty() || partitionIds.length == 0 || stats.chunks() == 0) {
            return List.of();
        }
        return read(searcher -> {
            var reader = searcher.getIndexReader();
            // Every live chunk visible (one tenant, no deletions pending): the index's own
            // statistics are the visible ones, and no filter is needed.
            boolean everything = reader.numDeletedDocs() == 0 && reader.numDocs() == stats.chunks();
            Query visible = everything ? null : new TermInSetQuery(PARTITION_TERM,
                    Arrays.stream(partitionIds).mapToObj(id -> new BytesRef(Integer.toString(id))).toList());
            Map<String, Long> df = new HashMap<>();
            BooleanQuery.Builder any = new BooleanQuery.Builder();
            for (Map.Entry<String, Integer> e : terms.entrySet()) {
                Term t = new Term(TEXT, e.getKey());
                Query term = new TermQuery(t);
                long n = everything ? reader.docFreq(t)
                        : searcher.count(new BooleanQuery.Builder().add(term, Occur.FILTER).add(visible, Occur.FILTER).build());
                if (n > 0) {
                    df.put(e.getKey(), n);
                    any.add(e.getValue() == 1 ? term : new BoostQuery(term, e.getValue()), Occur.SHOULD);
                }
            }
            if (df.isEmpty()) {
                return List.of();
            }
            Query query = everything ? any.build()
                    : new BooleanQuery.Builder().add(any.build(), Occur.MUST).add(visible, Occur.FILTER).build();
            IndexSearcher scoped = new VisibleStatistics(searcher, stats, df);
            TopDocs top = scoped.search(query, k);
            // Lucene's BM25 leaves out the constant (k1 + 1) factor the SQL formula keeps.
            return chunks(scoped, top, score -> score * (KeywordSearch.K1 + 1));
        });
    }

    /** A searcher whose BM25 sees the visible partitions' statistics instead of the whole index's. */
    private static final class VisibleStatistics extends IndexSearcher {
        private final long chunks;
        private final long length;
        private final Map<String, Long> df;

        VisibleStatistics(IndexSearcher base, Partitions.CorpusStats stats, Map<String, Long> df) {
            super(base.getIndexReader());
            this.chunks = stats.chunks();
            this.length = Math.max(stats.terms(), stats.chunks());
            this.df = df;
            setQueryCache(base.getQueryCache());
        }

        @Override
        public CollectionStatistics collectionStatistics(String field) {
            return new CollectionStatistics(field, chunks, chunks, length, length);
        }

        @Override
        public TermStatistics termStatistics(Term term, int docFreq, long totalTermFreq) {
            long n = Math.min(chunks, df.getOrDefault(term.text(), (long) docFreq));
            return new TermStatistics(term.bytes(), n, Math.max(n, totalTermFreq));
        }
    }

    private interface Read<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    private <T> T read(Read<T> body) {
        try {
            // Every write finished before this read must be visible to it, also when another read is
            // refreshing at this moment: maybeRefreshBlocking waits for that refresh, then catches up.
            long wanted = writes.get();
            if (refreshed.get() < wanted) {
                searchers.maybeRefreshBlocking();
                refreshed.accumulateAndGet(wanted, Math::max);
            }
            IndexSearcher searcher = searchers.acquire();
            try {
                return body.apply(searcher);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("local index search failed", e);
        }
    }

    private static List<ScoredChunk> chunks(IndexSearcher searcher, TopDocs top, java.util.function.DoubleUnaryOperator score)
            throws IOException {
        List<ScoredChunk> out = new ArrayList<>(top.scoreDocs.length);
        var stored = searcher.storedFields();
        for (ScoreDoc sd : top.scoreDocs) {
            long chunkId = stored.document(sd.doc).getField(CHUNK).numericValue().longValue();
            out.add(new ScoredChunk(chunkId, score.applyAsDouble(sd.score)));
        }
        return out;
    }

    @Override
    public void documentWritten(UUID documentId, List<Long> chunkIds, int partitionId, List<float[]> vectors,
                                List<String> texts) {
        try {
            List<Document> docs = new ArrayList<>(chunkIds.size());
            for (int i = 0; i < chunkIds.size(); i++) {
                docs.add(document(chunkIds.get(i), documentId, partitionId, vectors.get(i), texts.get(i)));
            }
            writer.updateDocuments(new Term(DOCUMENT, documentId.toString()), docs);
            writes.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException("local index update failed", e);
        }
    }

    @Override
    public void documentRemoved(UUID documentId) {
        try {
            writer.deleteDocuments(new Term(DOCUMENT, documentId.toString()));
            writes.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException("local index update failed", e);
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
            throw new UncheckedIOException("local index commit failed", e);
        }
    }

    @Override
    public void close() {
        try {
            searchers.close();
            writer.close();
        } catch (IOException e) {
            log.warn("closing the local index: {}", e.getMessage());
        }
        analyzer.close();
    }
}
