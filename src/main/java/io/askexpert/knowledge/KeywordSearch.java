package io.askexpert.knowledge;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * BM25 (k1 = 1.2, b = 0.75) over the visible partitions: document frequencies, the chunk count and
 * the average length are taken over those partitions only, so one tenant's corpus does not skew
 * another's scores. With pgvector it is computed by PostgreSQL over {@code knowledge_postings}
 * (the covering index on {@code term} carries chunk, partition, tf and length, so scoring reads the
 * index alone); with the local index it runs in Lucene ({@link LuceneLocalIndex#keyword}), whose
 * skipping over postings keeps it fast at a size where the SQL reads every posting of every term.
 */
final class KeywordSearch {

    static final double K1 = 1.2;
    private static final double B = 0.75;

    private final DataSource dataSource;
    private final Partitions partitions;
    private final TermAnalyzer analyzer;
    private final @Nullable LuceneLocalIndex local;

    KeywordSearch(DataSource dataSource, Partitions partitions, TermAnalyzer analyzer, @Nullable LuceneLocalIndex local) {
        this.dataSource = dataSource;
        this.partitions = partitions;
        this.analyzer = analyzer;
        this.local = local;
    }

    List<ScoredChunk> search(String query, int[] partitionIds, int k) {
        Map<String, Integer> terms = analyzer.termFrequencies(query);
        if (terms.isEmpty() || partitionIds.length == 0) {
            return List.of();
        }
        Partitions.CorpusStats stats = partitions.stats(partitionIds);
        if (stats.chunks() == 0) {
            return List.of();
        }
        if (local != null) {
            return local.keyword(terms, partitionIds, stats, k);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     with q(term, qtf) as (select * from unnest(?::text[], ?::int[])),
                     hits as (
                         select p.chunk_id, p.term, p.tf, p.dl, q.qtf from knowledge_postings p
                         join q on q.term = p.term where p.partition_id = any(?)),
                     df as (select term, count(*) as n from hits group by term)
                     select h.chunk_id,
                            sum(h.qtf * ln(1 + (? - df.n + 0.5) / (df.n + 0.5))
                                * h.tf * (? + 1) / (h.tf + ? * (1 - ? + ? * h.dl / ?))) as score
                     from hits h join df on df.term = h.term
                     group by h.chunk_id order by score desc limit ?""")) {
            ps.setArray(1, c.createArrayOf("text", terms.keySet().toArray()));
            ps.setArray(2, c.createArrayOf("int4", terms.values().toArray()));
            ps.setArray(3, c.createArrayOf("int4", Partitions.boxed(partitionIds)));
            ps.setDouble(4, stats.chunks());
            ps.setDouble(5, K1);
            ps.setDouble(6, K1);
            ps.setDouble(7, B);
            ps.setDouble(8, B);
            ps.setDouble(9, stats.averageLength());
            ps.setInt(10, k);
            List<ScoredChunk> out = new ArrayList<>(k);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ScoredChunk(rs.getLong(1), rs.getDouble(2)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("keyword search failed: " + e.getMessage(), e);
        }
    }
}
