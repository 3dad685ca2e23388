package io.askexpert.fusion;

import io.askexpert.fusion.FusionRetriever.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Turns a selection's ranks, scores and paths into per-expert evidence and one readable sentence. */
final class SelectionExplainer {

    private final Map<Source, Map<String, RetrieverHit>> hitsBySource;
    private final Map<Source, Map<String, RetrieverHit>> returnedBySource;
    private final Function<String, String> slugOf;

    /**
     * @param answered each source's decisive hits: what a candidate covers is read from them
     * @param returned each source's whole list, of which the decisive hits are a part: the scores
     *                 and paths a reason quotes (a candidate weighted scores ranked from outside a
     *                 decisive list still has them)
     */
    SelectionExplainer(Map<Source, List<RetrieverHit>> answered, Map<Source, List<RetrieverHit>> returned,
                       Function<String, String> slugOf) {
        this.slugOf = slugOf;
        this.hitsBySource = byId(answered);
        this.returnedBySource = byId(returned);
    }

    private static Map<Source, Map<String, RetrieverHit>> byId(Map<Source, List<RetrieverHit>> lists) {
        Map<Source, Map<String, RetrieverHit>> out = new HashMap<>();
        lists.forEach((source, hits) -> {
            Map<String, RetrieverHit> byId = new HashMap<>();
            hits.forEach(h -> byId.putIfAbsent(h.expertId(), h));
            out.put(source, byId);
        });
        return out;
    }

    /**
     * What of the question the expert covers, for panel seating: the graph's concepts that reached
     * it and the question's less common words its profile contains.
     */
    List<String> covers(String expertId) {
        List<String> out = new ArrayList<>();
        for (Source source : List.of(Source.GRAPH, Source.RELATIONAL)) {
            RetrieverHit hit = hitsBySource.getOrDefault(source, Map.of()).get(expertId);
            if (hit != null) {
                hit.covers().stream().filter(c -> !out.contains(c)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * @param adds what of the question a panel member covers that the experts before it do not
     * @param bar  the confidence a panel member needed
     */
    ExpertEvidence explain(RankFusion.Fused fused, PanelRole role, double synergyBoost, List<String> adds, int bar) {
        String id = fused.expertId();
        Map<String, Double> scores = new LinkedHashMap<>();
        List<String> path = List.of();
        for (Source source : Source.values()) {
            RetrieverHit hit = returnedBySource.getOrDefault(source, Map.of()).get(id);
            if (hit != null) {
                scores.put(source.key(), Math.round(hit.score() * 1e4) / 1e4);
                if (source == Source.GRAPH) {
                    path = hit.path();
                }
            }
        }
        List<String> parts = new ArrayList<>();
        Integer vector = fused.ranks().get(Source.VECTOR.key());
        if (vector != null) {
            Double similarity = scores.get(Source.VECTOR.key());
            parts.add(similarity == null ? String.format(Locale.ROOT, "profile similarity ranks it #%d", vector)
                    : String.format(Locale.ROOT, "profile similarity ranks it #%d (%.2f)", vector, similarity));
        }
        Integer graph = fused.ranks().get(Source.GRAPH.key());
        if (graph != null) {
            parts.add(String.format(Locale.ROOT, "the concept graph ranks it #%d%s", graph, via(path)));
        }
        Integer relational = fused.ranks().get(Source.RELATIONAL.key());
        if (relational != null) {
            parts.add(String.format(Locale.ROOT, "catalogue full text ranks it #%d", relational));
        }
        if (synergyBoost > 1.0) {
            parts.add(String.format(Locale.ROOT, "works with the experts seated before it (synergy ×%.2f)", synergyBoost));
        }
        String sentence = capitalize(String.join("; ", parts)) + (role == PanelRole.LEAD
                ? String.format(Locale.ROOT, "; confidence %d/100 as lead.", fused.confidence())
                : String.format(Locale.ROOT, "; on the panel for %s, which the experts before it do not cover "
                        + "(confidence %d/100, panel bar %d).", quoted(adds), fused.confidence(), bar));
        return new ExpertEvidence(id, slugOf.apply(id), role, Math.round(fused.fusedScore() * 1e6) / 1e6,
                fused.ranks(), scores, path, synergyBoost, sentence);
    }

    ExpertEvidence fallback(String id, String reason) {
        String why = reason.equals("all_sources_failed") ? "no retrieval source answered in time"
                : "no expert cleared the confidence threshold";
        return new ExpertEvidence(id, slugOf.apply(id), PanelRole.FALLBACK, 0, Map.of(), Map.of(),
                List.of(), 1.0, "Configured fallback expert: " + why + ".");
    }

    private static String quoted(List<String> concepts) {
        return String.join(", ", concepts.stream().limit(3).map(c -> "'" + c + "'").toList());
    }

    private String via(List<String> path) {
        List<String> concepts = new ArrayList<>();
        String peer = null;
        for (int i = 0; i < path.size(); i++) {
            String node = path.get(i);
            if (node.startsWith("concept:")) {
                concepts.add("'" + node.substring("concept:".length()) + "'");
            }
            if (node.equals("collaborates_with") && i > 0 && path.get(i - 1).startsWith("expert:")) {
                peer = slugOf.apply(path.get(i - 1).substring("expert:".length()));
            }
        }
        String out = concepts.isEmpty() ? "" : " through " + String.join(", ", concepts);
        return peer == null ? out : out + " as a collaborator of " + peer;
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? "Selected" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
