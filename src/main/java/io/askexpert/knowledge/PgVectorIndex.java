package io.askexpert.knowledge;

import io.askexpert.observability.ComponentHealth;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** pgvector's HNSW index over {@code knowledge_chunks.embedding_v}; writes happen with the chunks. */
final class PgVectorIndex implements VectorIndex {

    private static final Logger log = LoggerFactory.getLogger(PgVectorIndex.class);
    private static final int EF_SEARCH = 100;

    private final DataSource dataSource;

    private PgVectorIndex(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Creates the extension if it can (it needs the extension's files on the server and the right
     * to create it), adds the vector column and its HNSW index, and fills the column from the
     * stored embeddings; null when pgvector is not available.
     */
    static PgVectorIndex tryEnable(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select 1 from pg_available_extensions where name = 'vector'")) {
                if (!rs.next()) {
                    return null;
                }
            }
            s.execute("create extension if not exists vector");
            s.execute("alter table knowledge_chunks add column if not exists embedding_v vector(" + TextEmbedder.DIMENSION + ")");
            int filled = s.executeUpdate("update knowledge_chunks set embedding_v = embedding::vector where embedding_v is null");
            if (filled > 0) {
                log.info("Filled the pgvector column for {} stored chunk(s)", filled);
            }
            s.execute("create index if not exists knowledge_chunks_embedding_hnsw on knowledge_chunks "
                    + "using hnsw (embedding_v vector_cosine_ops)");
            return new PgVectorIndex(dataSource);
        } catch (SQLException e) {
            log.info("pgvector not usable ({}); vectors go to the local Lucene index", e.getMessage());
            return null;
        }
    }

    @Override
    public boolean inProcess() {
        return false;
    }

    @Override
    public String name() {
        return "pgvector";
    }

    @Override
    public ComponentHealth health() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select extversion from pg_extension where extname = 'vector'")) {
            return rs.next() ? ComponentHealth.healthy("pgvector " + rs.getString(1) + " in PostgreSQL")
                    : ComponentHealth.unhealthy("the pgvector extension is no longer installed in the database");
        } catch (SQLException e) {
            return ComponentHealth.unhealthy("PostgreSQL unreachable (SQLSTATE " + e.getSQLState() + ")");
        }
    }

    @Override
    public List<ScoredChunk> nearest(float[] query, int[] partitionIds, int k) {
        if (partitionIds.length == 0) {
            return List.of();
        }
        String vector = literal(query);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // A filter makes plain HNSW return fewer than k rows; iterative scans keep looking.
                s.execute("set local hnsw.ef_search = " + Math.max(EF_SEARCH, k));
                s.execute("set local hnsw.iterative_scan = relaxed_order");
            }
            List<ScoredChunk> out = new ArrayList<>(k);
            try (PreparedStatement ps = c.prepareStatement("""
                    select id, 1 - (embedding_v <=> cast(? as vector)) as score from knowledge_chunks
                    where partition_id = any(?) order by embedding_v <=> cast(? as vector) limit ?""")) {
                ps.setString(1, vector);
                ps.setArray(2, c.createArrayOf("int4", Partitions.boxed(partitionIds)));
                ps.setString(3, vector);
                ps.setInt(4, k);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ScoredChunk(rs.getLong(1), rs.getDouble(2)));
                    }
                }
            }
            c.commit();
            // relaxed_order may return neighbours slightly out of order.
            out.sort(Comparator.comparingDouble(ScoredChunk::score).reversed());
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("vector search failed: " + e.getMessage(), e);
        }
    }

    static String literal(float[] v) {
        StringBuilder sb = new StringBuilder(v.length * 10).append('[');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(v[i]);
        }
        return sb.append(']').toString();
    }

    @Override
    public void documentWritten(UUID documentId, List<Long> chunkIds, int partitionId, List<float[]> vectors,
                                List<String> texts) {
        // written with the chunks, in the same transaction
    }

    @Override
    public void documentRemoved(UUID documentId) {
        // removed with the chunks, in the same transaction
    }

    @Override
    public void commit() {
    }

    @Override
    public void close() {
    }
}
