package io.askexpert.fusion;

import java.util.List;
import java.util.Map;

/**
 * Why one expert was selected: where each source ranked it (1 = best) and with what score, the
 * graph path that reached it, the synergy factor that seated it, and the same in one sentence.
 *
 * @param ranks        source key to the expert's rank in that source; absent when the source did not return it
 * @param scores       source key to that source's own score for the expert
 * @param graphPath    nodes from the question to the expert, empty when the graph did not reach it
 * @param synergyBoost the multiplier synergy with the members seated before it gave (1 = none)
 */
public record ExpertEvidence(String id, String slug, PanelRole role, double fusedScore, Map<String, Integer> ranks,
                             Map<String, Double> scores, List<String> graphPath, double synergyBoost,
                             String reasoning) {

    public ExpertEvidence {
        ranks = Map.copyOf(ranks);
        scores = Map.copyOf(scores);
        graphPath = List.copyOf(graphPath);
    }
}
