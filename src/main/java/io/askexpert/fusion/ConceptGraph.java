package io.askexpert.fusion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
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

    private final Map<String, Set<String>> conceptToExperts = new HashMap<>();
    private final Map<String, Double> weight = new HashMap<>();
    private final Map<String, List<String>> phraseTokens = new HashMap<>();
    private final Map<String, Set<String>> peers = new HashMap<>();

    ConceptGraph(List<ExpertEntry> experts) {
        for (ExpertEntry e : experts) {
            Set<String> concepts = new HashSet<>();
            e.domains().forEach(d -> concepts.add(normalize(d)));
            e.capabilities().forEach(c -> concepts.add(normalize(c)));
            e.therapeuticAreas().forEach(t -> concepts.add(normalize(t)));
            e.phases().forEach(p -> concepts.add(normalize(p)));
            // A region is one concept, reached by its name or by any of its cues; a cue is never a
            // concept of its own, so "510(k)" as a US cue cannot dilute "510(k)" as one expert's capability.
            e.regions().forEach(region -> concepts.add("region " + normalize(region)));
            concepts.removeIf(String::isBlank);
            for (String c : concepts) {
                conceptToExperts.computeIfAbsent(c, k -> new HashSet<>()).add(e.id());
                phraseTokens.computeIfAbsent(c, ConceptGraph::tokens);
            }
        }
        int n = Math.max(1, experts.size());
        conceptToExperts.forEach((c, ids) -> weight.put(c, Math.log(1.0 + (double) n / ids.size())));

        // A collaborator's slug is read in the expert's own scope first, then in the public one.
        Map<String, String> idBySlug = new HashMap<>();
        experts.forEach(e -> idBySlug.put(scoped(e.tenantId(), e.slug()), e.id()));
        Map<String, List<String>> byManager = new HashMap<>();
        for (ExpertEntry e : experts) {
            for (String slug : e.collaboratesWith()) {
                String other = idBySlug.getOrDefault(scoped(e.tenantId(), slug), idBySlug.get(scoped(null, slug)));
                if (other != null && !other.equals(e.id())) {
                    peers.computeIfAbsent(e.id(), k -> new HashSet<>()).add(other);
                    peers.computeIfAbsent(other, k -> new HashSet<>()).add(e.id());
                }
            }
            if (e.reportsTo() != null) {
                byManager.computeIfAbsent(e.reportsTo(), k -> new ArrayList<>()).add(e.id());
            }
        }
        Map<String, String> managers = new HashMap<>();
        byManager.forEach((manager, reports) -> reports.forEach(r -> managers.put(r, manager)));
        this.managerOf = managers;
    }

    private final Map<String, String> managerOf;

    /** Experts reached from the question's concepts, best first, each with the path that reached it. */
    List<RetrieverHit> walk(String question, Set<String> visible, int limit) {
        Set<String> questionTokens = new HashSet<>(tokens(question));
        String normalizedQuestion = " " + String.join(" ", tokens(question)) + " ";
        Map<String, Double> score = new HashMap<>();
        Map<String, List<String>> path = new LinkedHashMap<>();
        Map<String, Double> bestConcept = new HashMap<>();
        for (var entry : conceptToExperts.entrySet()) {
            String concept = entry.getKey();
            String matched = mentions(phraseTokens.get(concept), questionTokens, normalizedQuestion) ? concept
                    : regionCue(concept, questionTokens, normalizedQuestion);
            if (matched == null) {
                continue;
            }
            double w = weight.get(concept);
            for (String expert : entry.getValue()) {
                if (!visible.contains(expert)) {
                    continue;
                }
                score.merge(expert, w, Double::sum);
                if (w > bestConcept.getOrDefault(expert, -1.0)) {
                    bestConcept.put(expert, w);
                    path.put(expert, matched.equals(concept)
                            ? List.of("question", "concept:" + concept, "expert:" + expert)
                            : List.of("question", "concept:" + matched, "concept:" + concept, "expert:" + expert));
                }
            }
        }
        // One hop along expert-expert edges: collaborators of strong hits are plausible panel members.
        Map<String, Double> direct = new HashMap<>(score);
        direct.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(5)
                .forEach(hit -> {
                    for (String peer : peers.getOrDefault(hit.getKey(), Set.of())) {
                        if (visible.contains(peer) && !direct.containsKey(peer)) {
                            double s = hit.getValue() * 0.3;
                            if (s > score.getOrDefault(peer, 0.0)) {
                                score.put(peer, s);
                                List<String> p = new ArrayList<>(path.get(hit.getKey()));
                                p.add("collaborates_with");
                                p.add("expert:" + peer);
                                path.put(peer, List.copyOf(p));
                            }
                        }
                    }
                });
        return score.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry::getKey))
                .limit(limit)
                .map(e -> new RetrieverHit(e.getKey(), e.getValue(), path.get(e.getKey())))
                .toList();
    }

    private static boolean mentions(List<String> phrase, Set<String> questionTokens, String normalizedQuestion) {
        return phrase.size() == 1 ? questionTokens.contains(phrase.getFirst())
                : !phrase.isEmpty() && normalizedQuestion.contains(" " + String.join(" ", phrase) + " ");
    }

    /** For a {@code region r} concept, the first cue of {@code r} the question mentions, else null. */
    private static @org.jspecify.annotations.Nullable String regionCue(String concept, Set<String> questionTokens,
                                                                        String normalizedQuestion) {
        if (!concept.startsWith("region ")) {
            return null;
        }
        for (List<String> cue : CUE_TOKENS.getOrDefault(concept.substring("region ".length()), List.of())) {
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
        if (peers.getOrDefault(a, Set.of()).contains(b)) {
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
        return conceptToExperts.size();
    }

    static Comparator<RetrieverHit> byScore() {
        return Comparator.comparingDouble(RetrieverHit::score).reversed();
    }
}
