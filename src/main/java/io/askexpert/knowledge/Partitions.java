package io.askexpert.knowledge;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Maps (owner tenant, visibility, namespace, domain) to a small integer. Chunks and postings carry
 * that integer, so a search's tenant, namespace and domain filters become one {@code = any(ids)}
 * test that both indexes can apply while they scan.
 */
final class Partitions {

    private record Scope(String tenantId, boolean isPublic, String namespace, String domain) {
    }

    private final JdbcClient jdbc;
    private final Map<Scope, Integer> ids = new ConcurrentHashMap<>();

    Partitions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The partition of a document, created on first use. Rows are never deleted, so ids can be cached. */
    int idFor(String tenantId, boolean isPublic, String namespace, @Nullable String domain) {
        Scope scope = new Scope(tenantId, isPublic, namespace, domain == null ? "" : domain);
        return ids.computeIfAbsent(scope, s -> {
            jdbc.sql("""
                    insert into knowledge_partitions (tenant_id, is_public, namespace, domain) values (?, ?, ?, ?)
                    on conflict (tenant_id, is_public, namespace, domain) do nothing""")
                    .params(s.tenantId(), s.isPublic(), s.namespace(), s.domain()).update();
            return jdbc.sql("""
                    select id from knowledge_partitions
                    where tenant_id = ? and is_public = ? and namespace = ? and domain = ?""")
                    .params(s.tenantId(), s.isPublic(), s.namespace(), s.domain()).query(Integer.class).single();
        });
    }

    /** The partitions a tenant may read under the request's filters: its own and every public one. */
    int[] visible(String tenantId, List<String> namespaces, @Nullable String domain) {
        List<Integer> found = jdbc.sql("""
                select id from knowledge_partitions
                where (tenant_id = ? or is_public)
                  and (? or namespace = any(?))
                  and (cast(? as text) is null or domain = ?)""")
                .params(tenantId, namespaces.isEmpty(), namespaces.toArray(String[]::new), domain, domain)
                .query(Integer.class).list();
        return found.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Chunk count and total terms over the given partitions: BM25's N and average length. */
    CorpusStats stats(int[] partitionIds) {
        return jdbc.sql("""
                select coalesce(sum(chunk_count), 0) as n, coalesce(sum(term_total), 0) as terms
                from knowledge_partitions where id = any(?)""")
                .param(boxed(partitionIds))
                .query((rs, i) -> new CorpusStats(rs.getLong("n"), rs.getLong("terms"))).single();
    }

    static Integer[] boxed(int[] ids) {
        return java.util.Arrays.stream(ids).boxed().toArray(Integer[]::new);
    }

    record CorpusStats(long chunks, long terms) {
        double averageLength() {
            return chunks == 0 ? 1 : Math.max(1.0, (double) terms / chunks);
        }
    }
}
