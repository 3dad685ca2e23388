package io.askexpert.knowledge;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and removes documents. A document, its chunks, their embeddings and their postings are
 * written in one transaction, so a failure never leaves part of a document searchable; writing a
 * document whose key exists replaces the earlier chunks under the same document id.
 */
final class DocumentStore {

    /** A document as written: its id and the chunk ids in chunk order. */
    record Written(UUID documentId, String key, List<Long> chunkIds, int partitionId, boolean replaced) {
    }

    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Partitions partitions;
    private final JsonMapper json = JsonMapper.builder().build();
    private volatile boolean pgvector;

    DocumentStore(DataSource dataSource, TransactionTemplate tx, Partitions partitions) {
        this.dataSource = dataSource;
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = tx;
        this.partitions = partitions;
    }

    /** From now on every chunk also fills the pgvector column. */
    void enablePgvector() {
        this.pgvector = true;
    }

    /** Writes the documents of {@code tenantId} in one transaction (one document per call for API ingestion). */
    List<Written> write(String tenantId, List<PreparedDocument> documents) {
        List<Integer> partitionIds = documents.stream()
                .map(d -> partitions.idFor(tenantId, d.input().isPublic(), d.input().namespace(), d.input().domain()))
                .toList();
        return tx.execute(status -> {
            Connection c = DataSourceUtils.getConnection(dataSource);
            try {
                List<Written> out = new ArrayList<>();
                for (int i = 0; i < documents.size(); i++) {
                    out.add(writeOne(c, tenantId, documents.get(i), partitionIds.get(i)));
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException("could not write documents: " + e.getMessage(), e);
            }
        });
    }

    private Written writeOne(Connection c, String tenantId, PreparedDocument doc, int partitionId) throws SQLException {
        DocumentInput in = doc.input();
        UUID id;
        boolean replaced;
        try (PreparedStatement ps = c.prepareStatement("""
                insert into knowledge_documents (id, tenant_id, is_public, partition_id, namespace, domain, external_id,
                    title, url, origin, metadata, content_sha256, chunk_count)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?)
                on conflict (tenant_id, namespace, external_id) do update set
                    is_public = excluded.is_public, partition_id = excluded.partition_id, domain = excluded.domain,
                    title = excluded.title, url = excluded.url, origin = excluded.origin, metadata = excluded.metadata,
                    content_sha256 = excluded.content_sha256, chunk_count = excluded.chunk_count, updated_at = now()
                returning id, (xmax <> 0) as replaced""")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, tenantId);
            ps.setBoolean(3, in.isPublic());
            ps.setInt(4, partitionId);
            ps.setString(5, in.namespace());
            ps.setString(6, in.domain());
            ps.setString(7, in.key());
            ps.setString(8, in.title());
            ps.setString(9, in.url());
            ps.setString(10, in.origin());
            ps.setString(11, json.writeValueAsString(in.metadata()));
            ps.setString(12, doc.contentSha256());
            ps.setInt(13, doc.chunks().size());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getObject(1, UUID.class);
                replaced = rs.getBoolean(2);
            }
        }
        if (replaced) {
            removeChunks(c, id);
        }
        List<Long> chunkIds = nextChunkIds(c, doc.chunks().size());
        insertChunks(c, id, partitionId, doc, chunkIds);
        insertPostings(c, partitionId, doc, chunkIds);
        long terms = doc.terms().stream().mapToLong(DocumentStore::termCount).sum();
        adjustStats(c, partitionId, doc.chunks().size(), terms);
        return new Written(id, in.key(), chunkIds, partitionId, replaced);
    }

    private List<Long> nextChunkIds(Connection c, int n) throws SQLException {
        List<Long> ids = new ArrayList<>(n);
        if (n == 0) {
            return ids;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select nextval(pg_get_serial_sequence('knowledge_chunks', 'id')) from generate_series(1, ?)")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private void insertChunks(Connection c, UUID documentId, int partitionId, PreparedDocument doc, List<Long> ids)
            throws SQLException {
        String sql = pgvector
                ? "insert into knowledge_chunks (id, document_id, partition_id, ordinal, heading, content, term_count, embedding_model, embedding, embedding_v)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as real[])::vector)"
                : "insert into knowledge_chunks (id, document_id, partition_id, ordinal, heading, content, term_count, embedding_model, embedding)"
                        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < ids.size(); i++) {
                Chunk chunk = doc.chunks().get(i);
                Array vector = c.createArrayOf("float4", boxed(doc.vectors().get(i)));
                ps.setLong(1, ids.get(i));
                ps.setObject(2, documentId);
                ps.setInt(3, partitionId);
                ps.setInt(4, chunk.ordinal());
                ps.setString(5, chunk.heading());
                ps.setString(6, chunk.text());
                ps.setInt(7, termCount(doc.terms().get(i)));
                ps.setString(8, TextEmbedder.MODEL);
                ps.setArray(9, vector);
                if (pgvector) {
                    ps.setArray(10, vector);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertPostings(Connection c, int partitionId, PreparedDocument doc, List<Long> ids)
            throws SQLException {
        List<String> terms = new ArrayList<>();
        List<Long> chunkIds = new ArrayList<>();
        List<Integer> tfs = new ArrayList<>();
        List<Integer> dls = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Map<String, Integer> tf = doc.terms().get(i);
            int dl = termCount(tf);
            for (var e : tf.entrySet()) {
                terms.add(e.getKey());
                chunkIds.add(ids.get(i));
                tfs.add(e.getValue());
                dls.add(dl);
            }
        }
        if (terms.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into knowledge_postings (term, chunk_id, partition_id, tf, dl)
                select t, ch, ?, f, l from unnest(?::text[], ?::bigint[], ?::int[], ?::int[]) as u(t, ch, f, l)""")) {
            ps.setInt(1, partitionId);
            ps.setArray(2, c.createArrayOf("text", terms.toArray()));
            ps.setArray(3, c.createArrayOf("int8", chunkIds.toArray()));
            ps.setArray(4, c.createArrayOf("int4", tfs.toArray()));
            ps.setArray(5, c.createArrayOf("int4", dls.toArray()));
            ps.executeUpdate();
        }
        // Sorted, so concurrent writers into one partition lock the statistics rows in the same order.
        try (PreparedStatement ps = c.prepareStatement("""
                insert into knowledge_term_stats (partition_id, term, df)
                select ?, t, count(*) from unnest(?::text[]) as u(t) group by t order by t
                on conflict (partition_id, term) do update set df = knowledge_term_stats.df + excluded.df""")) {
            ps.setInt(1, partitionId);
            ps.setArray(2, c.createArrayOf("text", terms.toArray()));
            ps.executeUpdate();
        }
    }

    private static void adjustStats(Connection c, int partitionId, long chunks, long terms) throws SQLException {
        if (chunks == 0 && terms == 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update knowledge_partitions set chunk_count = chunk_count + ?, term_total = term_total + ? where id = ?")) {
            ps.setLong(1, chunks);
            ps.setLong(2, terms);
            ps.setInt(3, partitionId);
            ps.executeUpdate();
        }
    }

    /** Removes a document's chunks and postings and takes them out of its partition's statistics. */
    private static void removeChunks(Connection c, UUID documentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                with gone as (delete from knowledge_chunks where document_id = ? returning id, partition_id, term_count),
                     per as (select partition_id, count(*) as n, sum(term_count) as t from gone group by partition_id),
                     stats as (update knowledge_partitions p set chunk_count = p.chunk_count - per.n,
                                   term_total = p.term_total - per.t from per where p.id = per.partition_id),
                     postings as (delete from knowledge_postings where chunk_id in (select id from gone)
                                  returning partition_id, term),
                     df as (select partition_id, term, count(*) as n from postings group by partition_id, term)
                update knowledge_term_stats s set df = s.df - df.n from df
                where s.partition_id = df.partition_id and s.term = df.term""")) {
            ps.setObject(1, documentId);
            ps.executeUpdate();
        }
    }

    /**
     * Vacuums the knowledge tables and refreshes their planner statistics. Until autovacuum gets
     * to a table that just grew by millions of postings, PostgreSQL plans keyword searches on the
     * row counts of before (after loading 100,000 chunks searches ran at about two a second), and
     * the postings index's index-only scans visit the heap for every posting whose page is not yet
     * marked all-visible (with statistics but no vacuum, keyword p99 was 443 ms against 18 ms
     * after it). Vacuuming new pages is cheap: pages already all-visible are skipped.
     */
    void vacuumAndAnalyze() {
        jdbc.sql("vacuum (analyze) knowledge_documents, knowledge_chunks, knowledge_postings, knowledge_term_stats").update();
    }

    /** Deletes one of the tenant's documents; false when it has none with that id. */
    boolean delete(String tenantId, UUID documentId) {
        Boolean deleted = tx.execute(status -> {
            Connection c = DataSourceUtils.getConnection(dataSource);
            try {
                try (PreparedStatement lock = c.prepareStatement(
                        "select 1 from knowledge_documents where id = ? and tenant_id = ? for update")) {
                    lock.setObject(1, documentId);
                    lock.setString(2, tenantId);
                    try (ResultSet rs = lock.executeQuery()) {
                        if (!rs.next()) {
                            return false;
                        }
                    }
                }
                removeChunks(c, documentId);
                try (PreparedStatement ps = c.prepareStatement("delete from knowledge_documents where id = ?")) {
                    ps.setObject(1, documentId);
                    ps.executeUpdate();
                }
                return true;
            } catch (SQLException e) {
                throw new IllegalStateException("could not delete document: " + e.getMessage(), e);
            }
        });
        return Boolean.TRUE.equals(deleted);
    }

    /** Ids of the documents of a namespace (used to clear a scratch namespace). */
    List<UUID> documentIds(String tenantId, String namespace) {
        return jdbc.sql("select id from knowledge_documents where tenant_id = ? and namespace = ?")
                .params(tenantId, namespace).query(UUID.class).list();
    }

    /** The stored version of a document: enough to skip re-writing an unchanged one. */
    record Existing(UUID id, String contentSha256, int chunkCount) {
    }

    @Nullable Existing existing(String tenantId, String namespace, String key) {
        return jdbc.sql("""
                select id, content_sha256, chunk_count from knowledge_documents
                where tenant_id = ? and namespace = ? and external_id = ?""")
                .params(tenantId, namespace, key)
                .query((rs, i) -> new Existing(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3)))
                .optional().orElse(null);
    }

    static int termCount(Map<String, Integer> tf) {
        int n = 0;
        for (int v : tf.values()) {
            n += v;
        }
        return n;
    }

    static Float[] boxed(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
