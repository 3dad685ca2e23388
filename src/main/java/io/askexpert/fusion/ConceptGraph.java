package io.askexpert.fusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The graph the graph retriever walks: concept nodes (the experts' domains, capabilities,
 * regions, therapeutic areas and phases, plus the regulators and frameworks that imply a region)
 * linked to experts, and expert↔expert edges (declared collaboration, shared manager). A
 * question reaches experts through the concepts it mentions (a region through its name or any of
 * its cues); each hit keeps the path that justified it. Concept weight is an inverse document frequency, so a concept shared by every
 * expert says little and one held by a single specialist says a lot.
 */
final class ConceptGraph {

    private static final Set<String> STOP = Set.of("a", "an", "the", "of", "and", "or", "for", "to", "in", "on",
            "with", "by", "at", "as", "is", "are", "be", "what", "how", "which", "who", "when", "does", "do", "i",
            "we", "our", "my", "it", "its", "this", "that", "these", "those", "from", "under", "about", "can",
            "should", "need", "needs", "required", "requirements", "vs", "versus");

    /** Words that name a region without naming it: regulators, frameworks, markets. */
    private static final Map<String, List<String>> REGION_CUES = Map.of(
            "us", List.of("fda", "usa", "united states", "cfr", "510 k", "de novo", "pma", "ind", "nda", "bla", "cms", "rems"),
            "eu", List.of("ema", "eu", "europe", "european", "mdr", "ivdr", "chmp", "prac", "maa", "notified body", "ce mark", "hta regulation"),
            "uk", List.of("mhra", "uk", "united kingdom", "nice", "ukca"),
            "jp", List.of("pmda", "japan", "japanese", "mhlw"),
            "global", List.of("ich", "iso", "iec", "global", "international"));

    /** The cues of each region, as token phrases. */
    private static final Map<String, List<List<String>>> CUE_TOKENS = cueTokens();

    /** A concept node: its words, the experts (by index) linked to it and its weight. */
    private record Concept(String name, List<String> tokens, int[] members, double weight) {
    }

    /** A concept matched by meaning rather than by its words: how close, 0-1 after the threshold. */
    private record Near(Concept concept, double closeness) {
    }

    /**
     * Cosine (bge-small-en-v1.5) a concept phrase needs with the question to count as mentioned in
     * other words; chosen on the tuning set (see docs/CATALOGUE.md).
     */
    static final double SEMANTIC_THRESHOLD = 0.60;
    /** At most this many concepts are matched by meaning per question: the closest ones. */
    static final int SEMANTIC_LIMIT = 6;

    private final List<String> ids = new ArrayList<>();
    /** Concepts by their first word, so a question only looks at the concepts it could mention. */
    private final Map<String, List<Concept>> byFirstToken = new HashMap<>();
    /** {@code region r} concepts by {@code r}, also reached through the region's cues. */
    private final Map<String, Concept> regions = new LinkedHashMap<>();
    private final int conceptCount;
    private final int[][] peers;
    private final Map<String, Integer> indexOf = new HashMap<>();
    private final Map<String, String> managerOf;
    /** Concepts that can be matched by meaning, and their unit-length phrase embeddings, concept after concept. */
    private final Concept[] semantic;
    private final float[] semanticVectors;
    private final int dimension;

    ConceptGraph(List<ExpertEntry> experts) {
        this(experts, Map.of());
    }

    /**
     * @param phraseVectors embeddings of {@link #phrases} by phrase; a concept with one can also be
     *                      reached by a question that names it in other words
     */
    ConceptGraph(List<ExpertEntry> experts, Map<String, float[]> phraseVectors) {
        Map<String, List<Integer>> conceptToExperts = new LinkedHashMap<>();
        for (int i = 0; i < experts.size(); i++) {
            ExpertEntry e = experts.get(i);
            ids.add(e.id());
            indexOf.put(e.id(), i);
            Set<String> concepts = new java.util.LinkedHashSet<>();
            e.domains().forEach(d -> concepts.add(normalize(d)));
            e.capabilities().forEach(c -> concepts.add(normalize(c)));
            e.therapeuticAreas().forEach(t -> concepts.add(normalize(t)));
            e.phases().forEach(p -> concepts.add(normalize(p)));
            // A region is one concept, reached by its name or by any of its cues; a cue is never a
            // concept of its own, so "510(k)" as a US cue cannot dilute "510(k)" as one expert's capability.
            e.regions().forEach(region -> concepts.add("region " + normalize(region)));
            concepts.removeIf(String::isBlank);
            for (String c : concepts) {
                conceptToExperts.computeIfAbsent(c, k -> new ArrayList<>()).add(i);
            }
        }
        int n = Math.max(1, experts.size());
        conceptToExperts.forEach((name, members) -> {
            Concept c = new Concept(name, tokens(name), members.stream().mapToInt(Integer::intValue).toArray(),
                    Math.log(1.0 + (double) n / members.size()));
            byFirstToken.computeIfAbsent(c.tokens().getFirst(), k -> new ArrayList<>()).add(c);
            if (name.startsWith("region ")) {
                regions.put(name.substring("region ".length()), c);
            }
        });
        this.conceptCount = conceptToExperts.size();
        List<Concept> withVectors = new ArrayList<>();
        byFirstToken.values().forEach(list -> list.stream()
                .filter(c -> phraseVectors.containsKey(c.name())).forEach(withVectors::add));
        withVectors.sort(Comparator.comparing(Concept::name));
        this.semantic = withVectors.toArray(Concept[]::new);
        this.dimension = semantic.length == 0 ? 0 : phraseVectors.get(semantic[0].name()).length;
        this.semanticVectors = new float[semantic.length * dimension];
        for (int i = 0; i < semantic.length; i++) {
            System.arraycopy(phraseVectors.get(semantic[i].name()), 0, semanticVectors, i * dimension, dimension);
        }

        // A collaborator's slug is read in the expert's own scope first, then in the public one.
        Map<String, Integer> bySlug = new HashMap<>();
        for (int i = 0; i < experts.size(); i++) {
            bySlug.put(scoped(experts.get(i).tenantId(), experts.get(i).slug()), i);
        }
        List<Set<Integer>> links = new ArrayList<>();
        experts.forEach(e -> links.add(new java.util.TreeSet<>()));
        Map<String, String> managers = new HashMap<>();
        for (int i = 0; i < experts.size(); i++) {
            ExpertEntry e = experts.get(i);
            for (String slug : e.collaboratesWith()) {
                Integer other = bySlug.getOrDefault(scoped(e.tenantId(), slug), bySlug.get(scoped(null, slug)));
                if (other != null && other != i) {
                    links.get(i).add(other);
                    links.get(other).add(i);
                }
            }
            if (e.reportsTo() != null) {
                managers.put(e.id(), e.reportsTo());
            }
        }
        this.peers = links.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
        this.managerOf = managers;
    }

    /** The concept phrases worth embedding: every domain, capability and therapeutic area, normalised. */
    static List<String> phrases(List<ExpertEntry> experts) {
        Set<String> out = new java.util.TreeSet<>();
        for (ExpertEntry e : experts) {
            e.domains().forEach(d -> out.add(normalize(d)));
            e.capabilities().forEach(c -> out.add(normalize(c)));
            e.therapeuticAreas().forEach(t -> out.add(normalize(t)));
        }
        out.removeIf(String::isBlank);
        return List.copyOf(out);
    }

    boolean hasPhraseVectors() {
        return semantic.length > 0;
    }

    List<RetrieverHit> walk(String question, Set<String> visible, int limit) {
        return walk(question, null, visible, limit);
    }

    /**
     * Experts reached from the question's concepts, best first, each with the path that reached
     * it. A concept is reached when the question names it, or, given the question's embedding,
     * when the question is among the closest to its phrase's embedding (at least
     * {@link #SEMANTIC_THRESHOLD}); such a concept counts in proportion to how far past the
     * threshold it is.
     */
    List<RetrieverHit> walk(String question, float @org.jspecify.annotations.Nullable [] questionVector,
                            Set<String> visible, int limit) {
        List<String> questionTokens = tokens(question);
        Set<String> tokenSet = new java.util.LinkedHashSet<>(questionTokens);
        String normalizedQuestion = " " + String.join(" ", questionTokens) + " ";
        // The concepts the question mentions, in the order it mentions them; a region reached
        // through a cue remembers the cue for the path.
        Map<Concept, String> matched = new LinkedHashMap<>();
        for (String token : tokenSet) {
            for (Concept c : byFirstToken.getOrDefault(token, List.of())) {
                if (mentions(c.tokens(), tokenSet, normalizedQuestion)) {
                    matched.putIfAbsent(c, c.name());
                }
            }
        }
        regions.forEach((region, concept) -> {
            String cue = matched.containsKey(concept) ? null : regionCue(region, tokenSet, normalizedQuestion);
            if (cue != null) {
                matched.put(concept, cue);
            }
        });
        Map<Concept, Double> strength = new HashMap<>();
        matched.keySet().forEach(c -> strength.put(c, 1.0));
        if (questionVector != null && questionVector.length == dimension) {
            for (Near near : near(questionVector)) {
                if (!matched.containsKey(near.concept())) {
                    matched.put(near.concept(), "~" + near.concept().name());
                    strength.put(near.concept(), near.closeness());
                }
            }
        }

        int n = ids.size();
        double[] score = new double[n];
        Concept[] best = new Concept[n];
        int[] viaPeer = new int[n];
        java.util.Arrays.fill(viaPeer, -1);
        byte[] seen = new byte[n];
        int[] touched = new int[n];
        int count = 0;
        List<List<String>> covers = new ArrayList<>(java.util.Collections.nCopies(n, null));
        for (Concept c : matched.keySet()) {
            for (int i : c.members()) {
                if (!visible(i, visible, seen)) {
                    continue;
                }
                if (best[i] == null) {
                    touched[count++] = i;
                    covers.set(i, new ArrayList<>(2));
                }
                covers.get(i).add(c.name());
                double w = c.weight() * strength.get(c);
                score[i] += w;
                if (best[i] == null || w > best[i].weight() * strength.get(best[i])) {
                    best[i] = c;
                }
            }
        }
        // One hop along expert-expert edges: collaborators of strong hits are plausible panel members.
        int directCount = count;
        for (int hit : top(touched, directCount, 5, score)) {
            for (int peer : peers[hit]) {
                if (best[peer] == null && visible(peer, visible, seen) && score[hit] * 0.3 > score[peer]) {
                    if (score[peer] == 0) {
                        touched[count++] = peer;
                    }
                    score[peer] = score[hit] * 0.3;
                    viaPeer[peer] = hit;
                }
            }
        }
        List<RetrieverHit> hits = new ArrayList<>();
        for (int i : top(touched, count, limit, score)) {
            List<String> path;
            if (viaPeer[i] >= 0) {
                List<String> p = new ArrayList<>(path(viaPeer[i], best[viaPeer[i]], matched));
                p.add("collaborates_with");
                p.add("expert:" + ids.get(i));
                path = p;
            } else {
                path = path(i, best[i], matched);
            }
            hits.add(new RetrieverHit(ids.get(i), score[i], path, covers.get(i) == null ? List.of() : covers.get(i)));
        }
        return hits;
    }

    /** The concepts closest to the question by meaning, at most {@link #SEMANTIC_LIMIT}, past the threshold. */
    private List<Near> near(float[] questionVector) {
        java.util.PriorityQueue<Near> kept = new java.util.PriorityQueue<>(Comparator.comparingDouble(Near::closeness));
        for (int i = 0; i < semantic.length; i++) {
            double cosine = CatalogueSnapshot.dot(questionVector, semanticVectors, i * dimension, dimension);
            if (cosine >= SEMANTIC_THRESHOLD) {
                kept.add(new Near(semantic[i], (cosine - SEMANTIC_THRESHOLD) / (1 - SEMANTIC_THRESHOLD)));
                if (kept.size() > SEMANTIC_LIMIT) {
                    kept.poll();
                }
            }
        }
        return List.copyOf(kept);
    }

    private List<String> path(int expert, Concept concept, Map<Concept, String> matched) {
        String via = matched.get(concept);
        if (via.startsWith("~")) {
            return List.of("question", "similar_to", "concept:" + concept.name(), "expert:" + ids.get(expert));
        }
        return via.equals(concept.name())
                ? List.of("question", "concept:" + concept.name(), "expert:" + ids.get(expert))
                : List.of("question", "concept:" + via, "concept:" + concept.name(), "expert:" + ids.get(expert));
    }

    private boolean visible(int expert, Set<String> visible, byte[] seen) {
        if (seen[expert] == 0) {
            seen[expert] = visible.contains(ids.get(expert)) ? (byte) 1 : (byte) 2;
        }
        return seen[expert] == 1;
    }

    /**
     * The best {@code k} of the first {@code count} candidates, best first: higher score, then
     * catalogue order (level, then slug), so ties resolve the same way on every database rather
     * than by generated ids.
     */
    private int[] top(int[] candidates, int count, int k, double[] score) {
        Comparator<Integer> better = (a, b) -> score[a] != score[b] ? Double.compare(score[b], score[a])
                : Integer.compare(a, b);
        java.util.PriorityQueue<Integer> worstFirst = new java.util.PriorityQueue<>(better.reversed());
        for (int c = 0; c < count; c++) {
            worstFirst.add(candidates[c]);
            if (worstFirst.size() > k) {
                worstFirst.poll();
            }
        }
        Integer[] out = worstFirst.toArray(Integer[]::new);
        java.util.Arrays.sort(out, better);
        return java.util.Arrays.stream(out).mapToInt(Integer::intValue).toArray();
    }

    private static boolean mentions(List<String> phrase, Set<String> questionTokens, String normalizedQuestion) {
        return phrase.size() == 1 ? questionTokens.contains(phrase.getFirst())
                : !phrase.isEmpty() && normalizedQuestion.contains(" " + String.join(" ", phrase) + " ");
    }

    /** The first cue of {@code region} the question mentions, else null. */
    private static @org.jspecify.annotations.Nullable String regionCue(String region, Set<String> questionTokens,
                                                                        String normalizedQuestion) {
        for (List<String> cue : CUE_TOKENS.getOrDefault(region, List.of())) {
            if (mentions(cue, questionTokens, normalizedQuestion)) {
                return String.join(" ", cue);
            }
        }
        return null;
    }

    private static Map<String, List<List<String>>> cueTokens() {
        Map<String, List<List<String>>> out = new HashMap<>();
        REGION_CUES.forEach((region, cues) -> out.put(region, cues.stream().map(ConceptGraph::tokens).toList()));
        return Map.copyOf(out);
    }

    /** Synergy 0–1: 1 for a declared collaboration, 0.5 for a shared manager, else 0. */
    double synergy(String a, String b) {
        Integer ia = indexOf.get(a);
        Integer ib = indexOf.get(b);
        if (ia != null && ib != null && java.util.Arrays.binarySearch(peers[ia], ib) >= 0) {
            return 1.0;
        }
        String manager = managerOf.get(a);
        return manager != null && manager.equals(managerOf.get(b)) ? 0.5 : 0.0;
    }

    private static String scoped(@org.jspecify.annotations.Nullable String tenant, String slug) {
        return (tenant == null ? "" : tenant) + "\u0000" + slug;
    }

    static String normalize(String phrase) {
        return String.join(" ", tokens(phrase));
    }

    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        for (String raw : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (raw.isEmpty() || STOP.contains(raw)) {
                continue;
            }
            out.add(raw.length() > 4 && raw.endsWith("s") && !raw.endsWith("ss") ? raw.substring(0, raw.length() - 1) : raw);
        }
        return out;
    }

    int conceptCount() {
        return conceptCount;
    }
}
