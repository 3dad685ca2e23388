package io.askexpert.fusion;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * PostgreSQL full-text search over the catalogue's generated {@code search_vector} (name and
 * specialty weigh most, then capabilities and domains, then areas, regions and phases, then the
 * description), with any word of the question or of the request context matching
 * ({@code ts_rank}, normalized to 0–1; ties go to the more general expert, as in
 * {@code AgentCatalog.search}), plus a bonus for each context field (region, domain, therapeutic
 * area, phase) an expert lists exactly. {@code ts_rank} rather than {@code ts_rank_cd}: with
 * any-word queries cover density ranks no better and costs about three times as much per row. Only active experts the tenant may see are
 * read. The statement carries the source's deadline as {@code statement_timeout}, so a slow
 * query is cancelled by the server rather than left running after fusion has moved on.
 */
final class RelationalRetriever implements FusionRetriever {

    /** Context keys (api.md §5.1, with or without the {@code _id} suffix) and the column each one is matched against. */
    private static final Map<String, String> CONTEXT_COLUMNS = Map.of(
            "region", "regions", "domain", "domains", "therapeutic_area", "therapeutic_areas", "phase", "phases");
    private static final double CONTEXT_BONUS = 0.25;
    private static final int MAX_TERMS = 64;

    private final DataSource dataSource;
    private final Duration deadline;

    RelationalRetriever(DataSource dataSource, Duration deadline) {
        this.dataSource = dataSource;
        this.deadline = deadline;
    }

    @Override
    public Source source() {
        return Source.RELATIONAL;
    }

    @Override
    public List<RetrieverHit> retrieve(FusionQuery query) throws SQLException {
        Set<String> words = new LinkedHashSet<>(words(query.question()));
        List<String> contextColumns = new ArrayList<>();
        List<String> contextValues = new ArrayList<>();
        query.context().forEach((key, value) -> {
            String column = CONTEXT_COLUMNS.get(key.endsWith("_id") ? key.substring(0, key.length() - 3) : key);
            if (column != null && value != null && !value.isBlank()) {
                words.addAll(words(value));
                contextColumns.add(column);
                contextValues.add(normalize(value));
            }
        });
        if (words.isEmpty()) {
            return List.of();
        }
        StringBuilder bonus = new StringBuilder("0");
        for (String column : contextColumns) {
            bonus.append(" + case when exists (select 1 from unnest(a.").append(column)
                    .append(") v where lower(regexp_replace(v, '[-_[:space:]]+', ' ', 'g')) = ?) then ")
                    .append(CONTEXT_BONUS).append(" else 0 end");
        }
        String sql = "select a.id::text as id, ts_rank(a.search_vector, q, 32) + (" + bonus + ") as score"
                + " from agents a, to_tsquery('english', ?) q"
                + " where a.status = 'active' and (a.tenant_id is null or a.tenant_id = ?) and a.search_vector @@ q"
                + " order by score desc, a.level, a.slug limit ?";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("set local statement_timeout = " + Math.max(1, deadline.toMillis()));
                }
                List<RetrieverHit> hits = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int i = 1;
                    for (String value : contextValues) {
                        ps.setString(i++, value);
                    }
                    ps.setString(i++, String.join(" | ", words));
                    ps.setString(i++, query.tenantId());
                    ps.setInt(i, query.candidates());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            hits.add(new RetrieverHit(rs.getString("id"), rs.getDouble("score")));
                        }
                    }
                }
                return hits;
            } finally {
                c.rollback();
            }
        }
    }

    /** Letters and digits only, so the {@code to_tsquery} text can never be malformed. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty() && out.size() < MAX_TERMS && !out.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }

    static String normalize(String value) {
        return value.toLowerCase(Locale.ROOT).replaceAll("[-_\\s]+", " ").strip();
    }
}
