package io.askexpert.fusion;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * PostgreSQL full-text ranking of the catalogue, plus the request context as structured filters.
 * The experts' documents are their generated {@code search_vector}s (name and specialty weigh
 * most, then capabilities and domains, then areas, regions and phases, then the description);
 * a question matches any of its words ({@code to_tsquery('english', …)}), ranked by
 * {@code ts_rank(search_vector, query, 32)} (0–1), plus a bonus for each context field (region,
 * domain, therapeutic area, phase) an expert lists exactly; ties go to the more general expert, as
 * in {@code AgentCatalog.search}. Only active experts the tenant may see are ranked.
 *
 * <p>One round trip turns the question into PostgreSQL's lexemes and reads the catalogue version.
 * When the snapshot was built from that version, the ranking runs over the snapshot's copy of the
 * documents ({@link ProfileFullText}, the same rank) instead of scanning every row again; when
 * the catalogue has moved on since (a change the snapshot has not caught up with yet), the same
 * ranking runs in the database, so this source is never staler than the catalogue. The
 * transaction carries the source's deadline as {@code statement_timeout}, so a slow query is
 * cancelled by the server rather than left running after fusion has moved on.
 */
final class RelationalRetriever implements FusionRetriever {

    /** A request-context field: the agents column it is matched against, and the same list in the snapshot. */
    private record ContextField(String column, Function<ExpertEntry, List<String>> values) {
    }

    /** Context keys (api.md §5.1, with or without the {@code _id} suffix) and the field each one is matched against. */
    private static final Map<String, ContextField> CONTEXT_FIELDS = Map.of(
            "region", new ContextField("regions", ExpertEntry::regions),
            "domain", new ContextField("domains", ExpertEntry::domains),
            "therapeutic_area", new ContextField("therapeutic_areas", ExpertEntry::therapeuticAreas),
            "phase", new ContextField("phases", ExpertEntry::phases));
    private static final double CONTEXT_BONUS = 0.25;
    private static final int MAX_TERMS = 64;
    /** A lexeme in {@code to_tsquery}'s text output: quoted, quotes inside doubled. */
    private static final Pattern QUERY_LEXEME = Pattern.compile("'((?:[^']|'')*)'");

    private final DataSource dataSource;
    private final Supplier<CatalogueSnapshot> snapshots;
    private final Duration deadline;

    RelationalRetriever(DataSource dataSource, Supplier<CatalogueSnapshot> snapshots, Duration deadline) {
        this.dataSource = dataSource;
        this.snapshots = snapshots;
        this.deadline = deadline;
    }

    @Override
    public Source source() {
        return Source.RELATIONAL;
    }

    @Override
    public List<RetrieverHit> retrieve(FusionQuery query) throws SQLException {
        Set<String> words = new LinkedHashSet<>(words(query.question()));
        List<ContextField> contextFields = new ArrayList<>();
        List<String> contextValues = new ArrayList<>();
        query.context().forEach((key, value) -> {
            ContextField field = CONTEXT_FIELDS.get(key.endsWith("_id") ? key.substring(0, key.length() - 3) : key);
            if (field != null && value != null && !value.isBlank()) {
                words.addAll(words(value));
                contextFields.add(field);
                contextValues.add(normalize(value));
            }
        });
        if (words.isEmpty()) {
            return List.of();
        }
        String anyWord = String.join(" | ", words);
        CatalogueSnapshot snapshot = snapshots.get();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                String lexemes;
                long catalogueVersion;
                try (PreparedStatement ps = c.prepareStatement("set local statement_timeout = "
                        + Math.max(1, deadline.toMillis()) + "; select to_tsquery('english', ?)::text,"
                        + " (select version from catalogue_state where id = 1)")) {
                    ps.setString(1, anyWord);
                    try (ResultSet rs = lastResult(ps)) {
                        rs.next();
                        lexemes = rs.getString(1);
                        catalogueVersion = rs.getLong(2);
                    }
                }
                if (snapshot.hasFullText() && snapshot.catalogueVersion() == catalogueVersion) {
                    return snapshot.fullTextSearch(lexemes(lexemes), query.tenantId(),
                            contextBonus(contextFields, contextValues), query.candidates());
                }
                return rankInDatabase(c, anyWord, contextFields, contextValues, query);
            } finally {
                c.rollback();
            }
        }
    }

    /** Runs a statement whose last part is a query (the ones before it set the transaction up). */
    private static ResultSet lastResult(PreparedStatement ps) throws SQLException {
        boolean rows = ps.execute();
        while (!rows) {
            if (ps.getUpdateCount() == -1) {
                throw new SQLException("the statement returned no rows");
            }
            rows = ps.getMoreResults();
        }
        return ps.getResultSet();
    }

    /** The distinct lexemes of a {@code tsquery}'s text, in order. */
    static List<String> lexemes(String tsquery) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = QUERY_LEXEME.matcher(tsquery == null ? "" : tsquery);
        while (m.find()) {
            out.add(m.group(1).replace("''", "'"));
        }
        return List.copyOf(out);
    }

    private static ToDoubleFunction<ExpertEntry> contextBonus(List<ContextField> fields, List<String> values) {
        return expert -> {
            double bonus = 0;
            for (int i = 0; i < fields.size(); i++) {
                String wanted = values.get(i);
                if (fields.get(i).values().apply(expert).stream().anyMatch(v -> normalize(v).equals(wanted))) {
                    bonus += CONTEXT_BONUS;
                }
            }
            return bonus;
        };
    }

    /** The same ranking as a query over the agents table. */
    private static List<RetrieverHit> rankInDatabase(Connection c, String anyWord, List<ContextField> contextFields,
                                                     List<String> contextValues, FusionQuery query) throws SQLException {
        StringBuilder bonus = new StringBuilder("0");
        for (ContextField field : contextFields) {
            bonus.append(" + case when exists (select 1 from unnest(a.").append(field.column())
                    .append(") v where lower(regexp_replace(v, '[-_[:space:]]+', ' ', 'g')) = ?) then ")
                    .append(CONTEXT_BONUS).append(" else 0 end");
        }
        String sql = "select a.id::text as id, ts_rank(a.search_vector, q, 32) + (" + bonus + ") as score"
                + " from agents a, to_tsquery('english', ?) q"
                + " where a.status = 'active' and (a.tenant_id is null or a.tenant_id = ?) and a.search_vector @@ q"
                + " order by score desc, a.level, a.slug limit ?";
        List<RetrieverHit> hits = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (String value : contextValues) {
                ps.setString(i++, value);
            }
            ps.setString(i++, anyWord);
            ps.setString(i++, query.tenantId());
            ps.setInt(i, query.candidates());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    hits.add(new RetrieverHit(rs.getString("id"), rs.getDouble("score")));
                }
            }
        }
        return hits;
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
