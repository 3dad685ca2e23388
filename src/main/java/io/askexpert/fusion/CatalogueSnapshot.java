package io.askexpert.fusion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable, in-memory view of the catalogue that the vector and graph retrievers read: every
 * active expert, its unit-length profile embedding and the concept graph. Rebuilt when the
 * catalogue changes; readers never lock.
 */
final class CatalogueSnapshot {

    private final List<ExpertEntry> experts;
    private final float[][] embeddings;
    private final Map<String, ExpertEntry> byId = new HashMap<>();
    /** Slugs are unique per scope only: a tenant's private expert may share a public expert's slug. */
    private final Map<String, List<ExpertEntry>> bySlug = new HashMap<>();
    private final ConceptGraph graph;
    private final long version;

    CatalogueSnapshot(List<ExpertEntry> experts, float[][] embeddings, long version) {
        if (experts.size() != embeddings.length) {
            throw new IllegalArgumentException("one embedding per expert");
        }
        this.experts = List.copyOf(experts);
        this.embeddings = embeddings;
        this.version = version;
        experts.forEach(e -> {
            byId.put(e.id(), e);
            bySlug.computeIfAbsent(e.slug(), k -> new ArrayList<>(1)).add(e);
        });
        this.graph = new ConceptGraph(experts);
    }

    static CatalogueSnapshot build(List<ExpertEntry> experts,
                                   java.util.function.Function<List<String>, List<float[]>> embedAll, long version) {
        List<float[]> vectors = embedAll.apply(experts.stream().map(ExpertEntry::profileText).toList());
        return new CatalogueSnapshot(experts, vectors.toArray(float[][]::new), version);
    }

    long version() {
        return version;
    }

    int size() {
        return experts.size();
    }

    /** By id, or by slug preferring the tenant's own expert over a public one of the same slug. */
    Optional<ExpertEntry> find(String tenant, String idOrSlug) {
        ExpertEntry e = byId.get(idOrSlug);
        if (e != null) {
            return e.visibleTo(tenant) ? Optional.of(e) : Optional.empty();
        }
        ExpertEntry pub = null;
        for (ExpertEntry candidate : bySlug.getOrDefault(idOrSlug, List.of())) {
            if (candidate.tenantId() != null && candidate.tenantId().equals(tenant)) {
                return Optional.of(candidate);
            }
            if (candidate.tenantId() == null) {
                pub = candidate;
            }
        }
        return Optional.ofNullable(pub);
    }

    /** The most general expert the tenant sees: lowest level, its own before public ones, then slug. */
    Optional<ExpertEntry> mostGeneral(String tenant) {
        return experts.stream().filter(e -> e.visibleTo(tenant))
                .min(java.util.Comparator.comparingInt(ExpertEntry::level)
                        .thenComparing(e -> e.tenantId() == null)
                        .thenComparing(ExpertEntry::slug));
    }

    /** The ids the tenant may see, as a view: no per-request copy of a large catalogue. */
    Set<String> visibleIds(String tenant) {
        return new java.util.AbstractSet<>() {
            @Override
            public boolean contains(Object id) {
                ExpertEntry e = id instanceof String s ? byId.get(s) : null;
                return e != null && e.visibleTo(tenant);
            }

            @Override
            public java.util.Iterator<String> iterator() {
                return experts.stream().filter(e -> e.visibleTo(tenant)).map(ExpertEntry::id).iterator();
            }

            @Override
            public int size() {
                return (int) experts.stream().filter(e -> e.visibleTo(tenant)).count();
            }
        };
    }

    /** Cosine similarity (vectors are unit length) of every visible expert, best first. */
    List<RetrieverHit> nearest(float[] query, String tenant, int limit) {
        List<RetrieverHit> hits = new ArrayList<>();
        for (int i = 0; i < experts.size(); i++) {
            ExpertEntry e = experts.get(i);
            if (!e.visibleTo(tenant)) {
                continue;
            }
            hits.add(new RetrieverHit(e.id(), dot(query, embeddings[i])));
        }
        hits.sort(ConceptGraph.byScore());
        return hits.size() > limit ? List.copyOf(hits.subList(0, limit)) : hits;
    }

    ConceptGraph graph() {
        return graph;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
