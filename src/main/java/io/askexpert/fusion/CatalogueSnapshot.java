package io.askexpert.fusion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
    private final Map<String, ExpertEntry> bySlug = new HashMap<>();
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
            bySlug.put(e.slug(), e);
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

    Optional<ExpertEntry> find(String tenant, String idOrSlug) {
        ExpertEntry e = byId.getOrDefault(idOrSlug, bySlug.get(idOrSlug));
        return e != null && e.visibleTo(tenant) ? Optional.of(e) : Optional.empty();
    }

    Set<String> visibleIds(String tenant) {
        Set<String> ids = new HashSet<>();
        experts.stream().filter(e -> e.visibleTo(tenant)).forEach(e -> ids.add(e.id()));
        return ids;
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
