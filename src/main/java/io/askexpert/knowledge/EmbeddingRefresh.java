package io.askexpert.knowledge;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recomputes, at start, the embeddings of chunks stored by another model than {@link TextEmbedder#MODEL}:
 * two models' vectors live in different spaces, so comparing a query with them would rank
 * noise. Runs before the vector index opens, batch after batch, each committed on its own:
 * a start that is stopped half-way leaves the rest for the next one, and nothing is lost.
 * The chunk's indexed text (title, heading, content) is what was embedded, so the result is what a
 * fresh ingestion of the same document would store.
 */
final class EmbeddingRefresh {

    private static final Logger log = LoggerFactory.getLogger(EmbeddingRefresh.class);
    /** Chunks per transaction: one inference batch of a few seconds, small enough to lose little. */
    static final int BATCH = 256;
    /**
     * Another model's chunks, written as two ranges so the {@code embedding_model} index serves it
     * ({@code <>} cannot use a b-tree).
     */
    private static final String STALE = "(c.embedding_model < ? or c.embedding_model > ?)";

    private final DataSource dataSource;
    private final TextEmbedder embedder;

    EmbeddingRefresh(DataSource dataSource, TextEmbedder embedder) {
        this.dataSource = dataSource;
        this.embedder = embedder;
    }

    /**
     * Re-embeds every chunk of another model; the number of chunks re-embedded. Instances starting
     * together take turns (an advisory lock): the second finds the work done.
     */
    long run() {
        try (Connection c = dataSource.getConnection()) {
            lock(c, "pg_advisory_lock");
            try {
                return refresh(c);
            } finally {
                lock(c, "pg_advisory_unlock");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot re-embed stored chunks: " + e.getMessage(), e);
        }
    }

    private long refresh(Connection c) throws SQLException {
        long stale = count(c);
        if (stale == 0) {
            return 0;
        }
        boolean pgvectorColumn = hasColumn(c, "embedding_v");
        log.info("Re-embedding {} stored chunk(s) with {} (they were embedded with another model)", stale, TextEmbedder.MODEL);
        long started = System.nanoTime();
        long lastLog = started;
        long done = 0;
        List<Long> ids = new ArrayList<>(BATCH);
        List<String> texts = new ArrayList<>(BATCH);
        while (next(c, ids, texts)) {
            write(c, ids, embedder.embedAll(texts), pgvectorColumn);
            done += ids.size();
            long now = System.nanoTime();
            if (now - lastLog > 10_000_000_000L || done >= stale) {
                log.info("Re-embedded {} of {} chunk(s), {} per second", done, stale,
                        Math.round(done / ((now - started) / 1e9)));
                lastLog = now;
            }
        }
        return done;
    }

    private static void lock(Connection c, String function) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + function + "(hashtext('ask-expert.embedding-refresh'))")) {
            ps.execute();
        }
    }

    private static long count(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from knowledge_chunks c where " + STALE)) {
            stale(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The next batch of stale chunks with the text they are embedded from; false when none is left. */
    private static boolean next(Connection c, List<Long> ids, List<String> texts) throws SQLException {
        ids.clear();
        texts.clear();
        try (PreparedStatement ps = c.prepareStatement("""
                select c.id, %s
                from knowledge_chunks c join knowledge_documents d on d.id = c.document_id
                where %s order by c.id limit ?""".formatted(Ingestion.STORED_TEXT_COLUMNS, STALE))) {
            stale(ps, 1);
            ps.setInt(3, BATCH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                    texts.add(Ingestion.indexedText(rs, 2));
                }
            }
        }
        return !ids.isEmpty();
    }

    private static void write(Connection c, List<Long> ids, List<float[]> vectors, boolean pgvectorColumn) throws SQLException {
        // The pgvector column is emptied, not cast here: the extension may be absent from this
        // session, and PgVectorIndex fills empty columns from the stored array when it opens.
        String sql = "update knowledge_chunks set embedding = ?, embedding_model = ?"
                + (pgvectorColumn ? ", embedding_v = null" : "") + " where id = ?";
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < ids.size(); i++) {
                Array vector = c.createArrayOf("float4", DocumentStore.boxed(vectors.get(i)));
                ps.setArray(1, vector);
                ps.setString(2, TextEmbedder.MODEL);
                ps.setLong(3, ids.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static boolean hasColumn(Connection c, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select 1 from information_schema.columns
                where table_schema = current_schema() and table_name = 'knowledge_chunks' and column_name = ?""")) {
            ps.setString(1, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void stale(PreparedStatement ps, int from) throws SQLException {
        ps.setString(from, TextEmbedder.MODEL);
        ps.setString(from + 1, TextEmbedder.MODEL);
    }
}
