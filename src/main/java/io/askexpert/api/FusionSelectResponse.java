package io.askexpert.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.askexpert.fusion.ExpertEvidence;
import io.askexpert.fusion.FusionEvidence;
import io.askexpert.fusion.FusionResult;
import io.askexpert.fusion.SelectedExpert;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The answer of {@code POST /mode2/fusion/select} (api.md §5.2), with per-expert reasoning and timings. */
record FusionSelectResponse(@JsonProperty("selected_experts") List<Expert> selectedExperts,
                            @JsonProperty("fusion_evidence") Evidence fusionEvidence,
                            boolean degraded, boolean fallback, boolean cached, Timings timings) {

    /** One selected expert: the contract's fields, then why it was chosen. */
    record Expert(String id, String slug, String name, int confidence, String role, int level, String specialty,
                  String reasoning, Why evidence) {
    }

    record Why(Map<String, Integer> ranks, Map<String, Double> scores, @JsonProperty("graph_path") List<String> graphPath,
               @JsonProperty("fused_score") double fusedScore, @JsonProperty("synergy_boost") double synergyBoost) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Evidence(String method, FusionEvidence.Weights weights, @JsonProperty("sources_used") List<String> sourcesUsed,
                    @JsonProperty("per_source") Map<String, Source> perSource,
                    @JsonProperty("vector_scores") Map<String, Double> vectorScores,
                    @JsonProperty("graph_paths") Map<String, List<String>> graphPaths,
                    @JsonProperty("relational_scores") Map<String, Double> relationalScores,
                    @JsonProperty("retrieval_time_ms") double retrievalTimeMs,
                    @JsonProperty("embedding_time_ms") double embeddingTimeMs, boolean degraded,
                    @JsonProperty("fallback_reason") @Nullable String fallbackReason) {
    }

    record Source(String status, int hits, @JsonProperty("latency_ms") double latencyMs) {
    }

    /** Milliseconds: the question's embedding, fusion without it, each source, and the whole request. */
    record Timings(@JsonProperty("embedding_ms") double embeddingMs, @JsonProperty("fusion_ms") double fusionMs,
                   @JsonProperty("per_source_ms") Map<String, Double> perSourceMs,
                   @JsonProperty("total_ms") double totalMs) {
    }

    static FusionSelectResponse of(FusionResult result, double totalMs) {
        List<Expert> experts = new ArrayList<>();
        for (int i = 0; i < result.selectedExperts().size(); i++) {
            SelectedExpert s = result.selectedExperts().get(i);
            ExpertEvidence e = result.expertEvidence().get(i);
            experts.add(new Expert(s.id(), e.slug(), s.name(), s.confidence(), s.role().wireName(), s.level(), s.specialty(),
                    e.reasoning(), new Why(e.ranks(), e.scores(), e.graphPath(), e.fusedScore(), e.synergyBoost())));
        }
        FusionEvidence ev = result.evidence();
        FusionResult.Timings t = result.timings();
        Map<String, Source> perSource = new LinkedHashMap<>();
        ev.perSource().forEach((key, report) -> perSource.put(key, new Source(report.status(), report.hits(),
                t.perSourceMs().getOrDefault(key, (double) report.latencyMs()))));
        Evidence evidence = new Evidence(ev.method(), ev.weights(), ev.sourcesUsed(), perSource, ev.vectorScores(),
                ev.graphPaths(), ev.relationalScores(), t.fusionMs(), t.embeddingMs(), ev.degraded(), ev.fallbackReason());
        return new FusionSelectResponse(experts, evidence, ev.degraded(), result.fallback(), result.cached(),
                new Timings(t.embeddingMs(), t.fusionMs(), t.perSourceMs(), totalMs));
    }
}
