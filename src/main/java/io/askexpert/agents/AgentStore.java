package io.askexpert.agents;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The catalogue's SQL. Visibility: a tenant sees public agents and its own, its own first. */
final class AgentStore {

    private static final String SELECT = """
            select a.*, p.slug as parent_slug,
                   array(select r.slug from agent_relations ar join agents r on r.id = ar.related_id
                         where ar.agent_id = a.id order by r.slug) as collaborator_slugs
            from agents a left join agents p on p.id = a.reports_to
            """;
    private static final String VISIBLE = "(a.tenant_id is null or a.tenant_id = :tenant)";

    private final JdbcClient jdbc;

    AgentStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    AgentPage list(String tenant, AgentQuery query) {
        StringBuilder where = new StringBuilder(" where " + VISIBLE);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("tenant", tenant);
        if (query.level() != null) {
            where.append(" and a.level = :level");
            params.put("level", query.level());
        }
        if (query.domain() != null) {
            where.append(" and exists (select 1 from unnest(a.domains) d where lower(d) = lower(:domain))");
            params.put("domain", query.domain());
        }
        if (query.status() != null) {
            where.append(" and a.status = :status");
            params.put("status", query.status().wireName());
        }
        String order = " order by a.level, a.name, a.slug, a.tenant_id nulls last";
        if (query.q() != null) {
            where.append(" and (a.search_vector @@ websearch_to_tsquery('english', :q)"
                    + " or a.slug ilike :like or a.name ilike :like)");
            params.put("q", query.q());
            params.put("like", "%" + query.q().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
            order = " order by ts_rank(a.search_vector, websearch_to_tsquery('english', :q)) desc," + order.substring(10);
        }
        long total = jdbc.sql("select count(*) from agents a" + where).params(params).query(Long.class).single();
        params.put("limit", query.limit());
        params.put("offset", query.offset());
        List<Agent> agents = jdbc.sql(SELECT + where + order + " limit :limit offset :offset")
                .params(params).query(ROW).list();
        return new AgentPage(agents, total);
    }

    Optional<Agent> findVisible(String tenant, String idOrSlug) {
        UUID id = uuid(idOrSlug);
        if (id != null) {
            return jdbc.sql(SELECT + " where a.id = :id and " + VISIBLE)
                    .param("id", id).param("tenant", tenant).query(ROW).optional();
        }
        return jdbc.sql(SELECT + " where a.slug = :slug and " + VISIBLE + " order by a.tenant_id nulls last limit 1")
                .param("slug", idOrSlug).param("tenant", tenant).query(ROW).optional();
    }

    /** The agent stored under exactly this scope and slug, locked for the rest of the transaction. */
    Optional<Agent> findInScopeForUpdate(@Nullable String scope, String slug) {
        return jdbc.sql(SELECT + " where coalesce(a.tenant_id, '') = :scope and a.slug = :slug for update of a")
                .param("scope", scope == null ? "" : scope).param("slug", slug).query(ROW).optional();
    }

    /**
     * An agent a record written in {@code scope} may point at: public agents always, the scope's
     * own when the scope is a tenant (own first).
     */
    Optional<Agent> findReachable(@Nullable String scope, String slug) {
        if (scope == null) {
            return jdbc.sql(SELECT + " where a.tenant_id is null and a.slug = :slug").param("slug", slug)
                    .query(ROW).optional();
        }
        return findVisible(scope, slug);
    }

    List<Agent> active(@Nullable String tenant) {
        if (tenant == null) {
            return jdbc.sql(SELECT + " where a.status = 'active' order by a.level, a.slug").query(ROW).list();
        }
        return jdbc.sql(SELECT + " where a.status = 'active' and " + VISIBLE + " order by a.level, a.slug")
                .param("tenant", tenant).query(ROW).list();
    }

    /** Every active agent's generated full-text document ({@code search_vector} as text), by id. */
    Map<String, String> activeSearchVectors() {
        Map<String, String> out = new java.util.HashMap<>();
        jdbc.sql("select id::text as id, search_vector::text as document from agents where status = 'active'")
                .query((rs, n) -> out.put(rs.getString("id"), rs.getString("document"))).list();
        return out;
    }

    /** Levels of the agents reporting to {@code id}, by slug. */
    Map<String, Integer> childLevels(UUID id) {
        Map<String, Integer> out = new LinkedHashMap<>();
        jdbc.sql("select slug, level from agents where reports_to = :id").param("id", id)
                .query((rs, n) -> out.put(rs.getString("slug"), rs.getInt("level"))).list();
        return out;
    }

    void insert(UUID id, @Nullable String scope, AgentDraft d, @Nullable UUID parent) {
        jdbc.sql("""
                insert into agents (id, tenant_id, slug, name, display_name, level, description, specialty, domains,
                    capabilities, regions, therapeutic_areas, phases, system_prompt, tools, knowledge_namespaces,
                    reports_to, model, temperature, status)
                values (:id, :tenant, :slug, :name, :display, :level, :description, :specialty, :domains,
                    :capabilities, :regions, :areas, :phases, :prompt, :tools, :namespaces, :parent, :model,
                    :temperature, :status)""")
                .params(columns(d, parent)).param("id", id).param("tenant", scope).update();
    }

    void update(UUID id, AgentDraft d, @Nullable UUID parent) {
        jdbc.sql("""
                update agents set slug = :slug, name = :name, display_name = :display, level = :level,
                    description = :description, specialty = :specialty, domains = :domains,
                    capabilities = :capabilities, regions = :regions, therapeutic_areas = :areas, phases = :phases,
                    system_prompt = :prompt, tools = :tools, knowledge_namespaces = :namespaces, reports_to = :parent,
                    model = :model, temperature = :temperature, status = :status, version = version + 1,
                    updated_at = now()
                where id = :id""")
                .params(columns(d, parent)).param("id", id).update();
    }

    void replaceRelations(UUID id, List<UUID> collaborators) {
        jdbc.sql("delete from agent_relations where agent_id = :id and kind = 'collaborates_with'")
                .param("id", id).update();
        for (UUID other : collaborators) {
            jdbc.sql("insert into agent_relations (agent_id, related_id, kind) values (:id, :other, 'collaborates_with')"
                    + " on conflict do nothing").param("id", id).param("other", other).update();
        }
    }

    /** Bumps the catalogue version inside the caller's transaction. */
    long bumpVersion() {
        return jdbc.sql("update catalogue_state set version = version + 1 where id = 1 returning version")
                .query(Long.class).single();
    }

    long version() {
        return jdbc.sql("select version from catalogue_state where id = 1").query(Long.class).single();
    }

    boolean starterLoaded() {
        return jdbc.sql("select starter_loaded_at is not null from catalogue_state where id = 1")
                .query(Boolean.class).single();
    }

    void markStarterLoaded() {
        jdbc.sql("update catalogue_state set starter_loaded_at = now() where id = 1").update();
    }

    /** Active visible agents matching any word of the text or any context value, best first. */
    List<ScoredAgent> search(String tenant, CatalogueSearch search) {
        String query = anyWord(search.text());
        boolean hasContext = search.region() != null || search.domain() != null
                || search.therapeuticArea() != null || search.phase() != null;
        if (query.isEmpty() && !hasContext) {
            return List.of();
        }
        return jdbc.sql("""
                with scored as (
                  select a.id, a.slug, a.level,
                         coalesce(ts_rank(a.search_vector, q.tsq), 0) as text_score,
                         (a.search_vector @@ q.tsq) is true as text_hit,
                         case when :region::text is null then 0
                              when exists (select 1 from unnest(a.regions) r where %1$s = :region) then 1
                              when exists (select 1 from unnest(a.regions) r where %1$s = 'global') then 0.5
                              else 0 end
                         + case when :domain::text is null then 0
                                when exists (select 1 from unnest(a.domains) r where %1$s = :domain) then 1 else 0 end
                         + case when :area::text is null then 0
                                when exists (select 1 from unnest(a.therapeutic_areas) r where %1$s = :area) then 1 else 0 end
                         + case when :phase::text is null then 0
                                when exists (select 1 from unnest(a.phases) r where %1$s = :phase) then 1 else 0 end
                           as context_hits
                  from agents a
                  left join lateral (select case when :query = '' then null
                                                 else to_tsquery('english', :query) end as tsq) q on true
                  where a.status = 'active' and (a.tenant_id is null or a.tenant_id = :tenant)
                )
                select id, slug, text_score + :boost * context_hits as score
                from scored
                where text_hit or context_hits > 0
                order by score desc, level, slug
                limit :limit""".formatted("lower(regexp_replace(r, '[-_\\s]+', ' ', 'g'))"))
                .param("query", query).param("tenant", tenant).param("limit", search.limit())
                .param("region", search.region()).param("domain", search.domain())
                .param("area", search.therapeuticArea()).param("phase", search.phase())
                .param("boost", CatalogueSearch.CONTEXT_BOOST)
                .query((rs, n) -> new ScoredAgent(rs.getString("id"), rs.getString("slug"), rs.getDouble("score")))
                .list();
    }

    /** {@code w1 | w2 | …} from the letters and digits of free text, safe for {@code to_tsquery}. */
    static String anyWord(String text) {
        return String.join(" | ", Arrays.stream(text.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> !w.isEmpty()).distinct().limit(64).toList());
    }

    private static Map<String, Object> columns(AgentDraft d, @Nullable UUID parent) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("slug", d.slug());
        p.put("name", d.name());
        p.put("display", d.displayName());
        p.put("level", d.level().number());
        p.put("description", d.description());
        p.put("specialty", d.specialty());
        p.put("domains", array(d.domains()));
        p.put("capabilities", array(d.capabilities()));
        p.put("regions", array(d.regions()));
        p.put("areas", array(d.therapeuticAreas()));
        p.put("phases", array(d.phases()));
        p.put("prompt", d.systemPrompt());
        p.put("tools", array(d.tools()));
        p.put("namespaces", array(d.knowledgeNamespaces()));
        p.put("parent", parent);
        p.put("model", d.model());
        p.put("temperature", d.temperature());
        p.put("status", d.status().wireName());
        return p;
    }

    private static String[] array(List<String> values) {
        return values.toArray(String[]::new);
    }

    static @Nullable UUID uuid(String value) {
        if (value.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static final RowMapper<Agent> ROW = (rs, n) -> new Agent(
            rs.getString("id"), rs.getString("tenant_id"), rs.getString("slug"), rs.getString("name"),
            rs.getString("display_name"), AgentLevel.of(rs.getInt("level")), rs.getString("description"),
            rs.getString("specialty"), strings(rs, "domains"), strings(rs, "capabilities"), strings(rs, "regions"),
            strings(rs, "therapeutic_areas"), strings(rs, "phases"), rs.getString("system_prompt"),
            strings(rs, "tools"), strings(rs, "knowledge_namespaces"), rs.getString("parent_slug"),
            rs.getString("model"), temperature(rs), AgentStatus.fromWire(rs.getString("status")),
            strings(rs, "collaborator_slugs"), rs.getInt("version"), instant(rs, "created_at"),
            instant(rs, "updated_at"));

    private static @Nullable Double temperature(ResultSet rs) throws SQLException {
        float t = rs.getFloat("temperature");
        return rs.wasNull() ? null : Math.round(t * 1000.0) / 1000.0;
    }

    private static java.time.Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts.toInstant();
    }

    private static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array array = rs.getArray(column);
        if (array == null) {
            return List.of();
        }
        Object[] values = (Object[]) array.getArray();
        List<String> out = new ArrayList<>(values.length);
        for (Object v : values) {
            out.add((String) v);
        }
        return out;
    }
}
