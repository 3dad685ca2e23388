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
 * another's scores. With the local index it runs in Lucene ({@link LuceneLocalIndex#keyword}),
 * exact. With pgvector PostgreSQL computes it: document frequencies from
 * {@code knowledge_term_stats}, and for each term and partition at most
 * {@link #POSTINGS_PER_TERM} postings, read best first from an index that carries chunk, tf and
 * length, so a search reads a bounded number of index entries however common its terms are.
 */
final class KeywordSearch {

    static final double K1 = 1.2;
    private static final double B = 0.75;
    /**
     * Postings read per term and partition, best first by {@code tf / (tf + 0.3 + 0.009 dl)} (BM25's
     * term part at an average length of 100, which the index is ordered by). Below this many
     * chunks holding a term in a partition the SQL score is exact; above it, chunks whose only
     * tie to a common term is a weak one lose that term's (small) share.
     */
    static final int POSTINGS_PER_TERM = 1_000;

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
                     parts(id) as (select unnest(?::int[])),
                     df as (select s.term, sum(s.df) as n from knowledge_term_stats s
                            where s.term = any(?::text[]) and s.partition_id = any(?::int[])
                            group by s.term having sum(s.df) > 0),
                     hits as (
                         select q.term, q.qtf, h.chunk_id, h.tf, h.dl from q join df on df.term = q.term
                         cross join parts
                         cross join lateral (
                             select p.chunk_id, p.tf, p.dl from knowledge_postings p
                             where p.term = q.term and p.partition_id = parts.id
                             order by (p.tf::float8 / (p.tf + 0.3::float8 + 0.009::float8 * p.dl)) desc
                             limit ?) h)
                     select h.chunk_id,
                            sum(h.qtf * ln(1 + (? - df.n + 0.5) / (df.n + 0.5))
                                * h.tf * (? + 1) / (h.tf + ? * (1 - ? + ? * h.dl / ?))) as score
                     from hits h join df on df.term = h.term
                     group by h.chunk_id order by score desc limit ?""")) {
            var termArray = c.createArrayOf("text", terms.keySet().toArray());
            var partitionArray = c.createArrayOf("int4", Partitions.boxed(partitionIds));
            ps.setArray(1, termArray);
            ps.setArray(2, c.createArrayOf("int4", terms.values().toArray()));
            ps.setArray(3, partitionArray);
            ps.setArray(4, termArray);
            ps.setArray(5, partitionArray);
            ps.setInt(6, POSTINGS_PER_TERM);
            ps.setDouble(7, stats.chunks());
            ps.setDouble(8, K1);
            ps.setDouble(9, K1);
            ps.setDouble(10, B);
            ps.setDouble(11, B);
            ps.setDouble(12, stats.averageLength());
            ps.setInt(13, k);
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
