package io.askexpert.fusion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable, in-memory view of the catalogue that the retrievers read: every active expert,
 * its unit-length embeddings (profile and role line), the concept graph and the full-text index of its profile. Rebuilt when the
 * catalogue changes; readers never lock.
 */
final class CatalogueSnapshot {

    private final List<ExpertEntry> experts;
    /** Every vector of every expert in one array, expert after expert: one pass over contiguous memory. */
    private final float[] embeddings;
    /** The expert (index) each vector belongs to, in the same order. */
    private final int[] owner;
    private final int dimension;
    private final Map<String, ExpertEntry> byId = new HashMap<>();
    /** Slugs are unique per scope only: a tenant's private expert may share a public expert's slug. */
    private final Map<String, List<ExpertEntry>> bySlug = new HashMap<>();
    private final ConceptGraph graph;
    private final ProfileFullText fullText;
    private final long catalogueVersion;
    private final long version;

    CatalogueSnapshot(List<ExpertEntry> experts, float[][] embeddings, long version) {
        this(experts, embeddings, Map.of(), -1, version);
    }

    /** One vector per expert (its profile). */
    CatalogueSnapshot(List<ExpertEntry> experts, float[][] embeddings, Map<String, String> documents,
                      long catalogueVersion, long version) {
        this(experts, java.util.Arrays.stream(embeddings).map(v -> new float[][] {v}).toList(), Map.of(), documents,
                catalogueVersion, version);
    }

    /**
     * @param vectors          each expert's vectors (its {@link ExpertEntry#vectorTexts()}, embedded)
     * @param conceptVectors   embeddings of the graph's concept phrases, by phrase (absent: verbatim matches only)
     * @param documents        each expert's PostgreSQL full-text document ({@code tsvector} text) by id
     * @param catalogueVersion the catalogue's version read before the experts were (-1: unknown)
     */
    CatalogueSnapshot(List<ExpertEntry> experts, List<float[][]> vectors, Map<String, float[]> conceptVectors,
                      Map<String, String> documents, long catalogueVersion, long version) {
        if (experts.size() != vectors.size()) {
            throw new IllegalArgumentException("one list of vectors per expert");
        }
        this.experts = List.copyOf(experts);
        int count = vectors.stream().mapToInt(v -> v.length).sum();
        this.dimension = count == 0 ? 0 : vectors.stream().filter(v -> v.length > 0).findFirst().orElseThrow()[0].length;
        this.embeddings = new float[count * dimension];
        this.owner = new int[count];
        int at = 0;
        for (int e = 0; e < vectors.size(); e++) {
            for (float[] v : vectors.get(e)) {
                if (v.length != dimension) {
                    throw new IllegalArgumentException("every embedding has " + dimension + " dimensions");
                }
                System.arraycopy(v, 0, this.embeddings, at * dimension, dimension);
                owner[at++] = e;
            }
        }
        this.version = version;
        this.catalogueVersion = catalogueVersion;
        experts.forEach(e -> {
            byId.put(e.id(), e);
            bySlug.computeIfAbsent(e.slug(), k -> new ArrayList<>(1)).add(e);
        });
        this.graph = new ConceptGraph(experts, conceptVectors);
        this.fullText = documents.isEmpty() ? ProfileFullText.empty()
                : ProfileFullText.of(this.experts.stream().map(e -> documents.get(e.id())).toList());
    }

    long version() {
        return version;
    }

    /** The catalogue version this snapshot was read at: if the catalogue is still there, it is current. */
    long catalogueVersion() {
        return catalogueVersion;
    }

    boolean hasFullText() {
        return fullText.lexemes() > 0;
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

    /**
     * Cosine similarity (vectors are unit length) of the best {@code limit} visible experts, an
     * expert scoring the mean of its vectors' similarities; best first (ties in catalogue order).
     */
    List<RetrieverHit> nearest(float[] query, String tenant, int limit) {
        if (query.length != dimension && owner.length > 0) {
            throw new IllegalArgumentException("the question has " + query.length + " dimensions, profiles " + dimension);
        }
        double[] best = new double[experts.size()];
        int[] counted = new int[experts.size()];
        int current = -1;
        boolean visible = false;
        for (int v = 0; v < owner.length; v++) {
            int e = owner[v];
            if (e != current) {
                current = e;
                visible = experts.get(e).visibleTo(tenant);
            }
            if (visible) {
                best[e] += dot(query, embeddings, v * dimension, dimension);
                counted[e]++;
            }
        }
        for (int e = 0; e < best.length; e++) {
            best[e] = counted[e] == 0 ? Double.NEGATIVE_INFINITY : best[e] / counted[e];
        }
        // Worst of the kept candidates at the head: lower score, then later in the catalogue.
        java.util.PriorityQueue<double[]> kept = new java.util.PriorityQueue<>(limit + 1,
                (a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(b[1], a[1]));
        for (int i = 0; i < best.length; i++) {
            if (best[i] == Double.NEGATIVE_INFINITY) {
                continue;
            }
            if (kept.size() < limit || best[i] > kept.peek()[0]) {
                kept.add(new double[] {best[i], i});
                if (kept.size() > limit) {
                    kept.poll();
                }
            }
        }
        RetrieverHit[] hits = new RetrieverHit[kept.size()];
        for (int at = hits.length - 1; at >= 0; at--) {
            double[] top = kept.poll();
            hits[at] = new RetrieverHit(experts.get((int) top[1]).id(), top[0]);
        }
        return List.of(hits);
    }

    ConceptGraph graph() {
        return graph;
    }

    /**
     * The best {@code limit} visible experts containing any of {@code lexemes} (PostgreSQL's, of
     * the question), by full-text rank plus {@code bonus} (of the request context), then the
     * more general expert, then slug: the order of {@code AgentCatalog.search}.
     */
    List<RetrieverHit> fullTextSearch(List<String> lexemes, String tenant, java.util.function.ToDoubleFunction<ExpertEntry> bonus,
                                      int limit) {
        List<ProfileFullText.Match> matches = fullText.match(lexemes, experts.size(), i -> experts.get(i).visibleTo(tenant));
        record Scored(ExpertEntry expert, int document, double score) {
        }
        java.util.Comparator<Scored> best = java.util.Comparator.comparingDouble(Scored::score).reversed()
                .thenComparingInt(s -> s.expert().level()).thenComparing(s -> s.expert().slug());
        // The worst kept candidate at the head, so a large catalogue is never sorted whole.
        java.util.PriorityQueue<Scored> kept = new java.util.PriorityQueue<>(limit + 1, best.reversed());
        for (ProfileFullText.Match m : matches) {
            ExpertEntry e = experts.get(m.document());
            kept.add(new Scored(e, m.document(), m.rank() + bonus.applyAsDouble(e)));
            if (kept.size() > limit) {
                kept.poll();
            }
        }
        return kept.stream().sorted(best).map(s -> new RetrieverHit(s.expert().id(), s.score(), List.of(),
                fullText.contained(s.document(), lexemes))).toList();
    }

    /** Four running sums, so the multiply-adds of neighbouring dimensions do not wait on each other. */
    static double dot(float[] query, float[] all, int offset, int dimension) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < dimension; i += 4) {
            s0 += query[i] * all[offset + i];
            s1 += query[i + 1] * all[offset + i + 1];
            s2 += query[i + 2] * all[offset + i + 2];
            s3 += query[i + 3] * all[offset + i + 3];
        }
        for (; i < dimension; i++) {
            s0 += query[i] * all[offset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
