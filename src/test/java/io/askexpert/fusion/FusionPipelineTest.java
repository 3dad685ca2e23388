package io.askexpert.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.config.FusionMethod;
import io.askexpert.config.FusionSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine over a real snapshot with the vector and graph retrievers and the selection cache. */
class FusionPipelineTest {

    private final List<ExpertEntry> catalogue = new CopyOnWriteArrayList<>(List.of(
            entry("fda-regulatory", "FDA regulatory strategist", List.of("IND submissions", "510(k) clearance"),
                    List.of("US"), null),
            entry("ema-regulatory", "EMA regulatory strategist", List.of("marketing authorisation applications"),
                    List.of("EU"), null),
            entry("pv-signals", "Pharmacovigilance signal detection", List.of("signal detection"), List.of("EU", "US"),
                    null),
            entry("acme-fda-insider", "Acme's own FDA IND submissions specialist", List.of("IND submissions"),
                    List.of("US"), "acme")));
    private final HashingVectors vectors = new HashingVectors();
    private final CatalogueSnapshots snapshots = new CatalogueSnapshots(() -> new ArrayList<>(catalogue), vectors);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FusionCache cache = new FusionCache(100, Duration.ofMinutes(5));
    private final FusionEngine engine;

    FusionPipelineTest() {
        snapshots.onSwap(cache::clear);
        snapshots.rebuildNow();
        var settings = new FusionSettings(Duration.ofSeconds(5), true, 60, 0.40, 0.35, 0.25, "",
                Duration.ofSeconds(2), 15, 0.5, 1.25, 100, Duration.ofMinutes(5), 35, FusionMethod.WEIGHTED_RRF);
        engine = new FusionEngine(List.of(new VectorRetriever(snapshots), new GraphRetriever(snapshots)),
                new SnapshotDirectory(snapshots), settings, true, Executors.newVirtualThreadPerTaskExecutor(),
                registry, vectors::embed, cache, snapshots::version);
    }

    @AfterEach
    void close() {
        engine.close();
        snapshots.close();
    }

    static ExpertEntry entry(String slug, String description, List<String> capabilities, List<String> regions,
                             String tenant) {
        return new ExpertEntry("id-" + slug, slug, description, 2, description, description,
                List.of("regulatory affairs"), capabilities, regions, List.of(), List.of(), tenant, null, List.of(), "");
    }

    private FusionResult select(String question, String tenant) {
        return engine.select(new FusionRequest(question, tenant, 2, Map.of(), null));
    }

    @Test
    void the_question_reaches_the_matching_expert_with_graph_paths_and_vector_scores() {
        var result = select("How should we prepare IND submissions for the FDA?", "other");
        assertThat(result.selectedExperts().getFirst().id()).isEqualTo("id-fda-regulatory");
        assertThat(result.evidence().graphPaths().get("id-fda-regulatory")).first().isEqualTo("question");
        assertThat(result.evidence().vectorScores()).containsKey("id-fda-regulatory");
    }

    @Test
    void tenant_private_experts_are_invisible_to_other_tenants_and_found_by_their_own() {
        var other = select("IND submissions specialist for the FDA", "other");
        assertThat(other.selectedExperts()).extracting(SelectedExpert::id).doesNotContain("id-acme-fda-insider");
        assertThat(other.evidence().vectorScores()).doesNotContainKey("id-acme-fda-insider");
        assertThat(other.evidence().graphPaths()).doesNotContainKey("id-acme-fda-insider");
        var acme = select("IND submissions specialist for the FDA", "acme");
        assertThat(acme.selectedExperts()).extracting(SelectedExpert::id).contains("id-acme-fda-insider");
    }

    @Test
    void a_repeated_question_is_served_from_the_cache() {
        var first = select("Signal detection in EU pharmacovigilance?", "other");
        int embeddedAfterFirst = vectors.embedded.get();
        var second = select("signal detection in EU pharmacovigilance", "other");
        assertThat(first.cached()).isFalse();
        assertThat(second.cached()).isTrue();
        assertThat(second.selectedExperts()).isEqualTo(first.selectedExperts());
        assertThat(vectors.embedded.get()).as("no second embedding").isEqualTo(embeddedAfterFirst);
        assertThat(registry.counter("fusion_cache_requests_total", "result", "hit").count()).isEqualTo(1.0);
    }

    @Test
    void a_catalogue_change_invalidates_cached_selections() {
        var before = select("Who handles marketing authorisation applications at the EMA?", "other");
        assertThat(before.selectedExperts().getFirst().id()).isEqualTo("id-ema-regulatory");
        catalogue.removeIf(e -> e.slug().equals("ema-regulatory"));
        catalogue.add(entry("ema-successor", "EMA centralised procedure lead",
                List.of("marketing authorisation applications"), List.of("EU"), null));
        snapshots.rebuildNow();
        var after = select("Who handles marketing authorisation applications at the EMA?", "other");
        assertThat(after.cached()).isFalse();
        assertThat(after.selectedExperts().getFirst().id()).isEqualTo("id-ema-successor");
    }

    @Test
    void a_collaboration_declared_in_the_catalogue_changes_the_team_only_with_synergy_on() {
        // d declares a collaboration with a; b and d are otherwise close, b slightly ahead.
        var withPeers = new CatalogueSnapshots(() -> List.of(entry("a", "a", List.of(), List.of(), null),
                entry("b", "b", List.of(), List.of(), null),
                new ExpertEntry("id-d", "d", "d", 2, "d", "d", List.of(), List.of(), List.of(), List.of(), List.of(),
                        null, null, List.of("a"), "")), vectors);
        withPeers.rebuildNow();
        var settings = new FusionSettings(Duration.ofSeconds(5), true, 60, 0.40, 0.35, 0.25, "",
                Duration.ofSeconds(2), 15, 0.5, 1.25, 0, Duration.ZERO, 0, FusionMethod.WEIGHTED_RRF);
        List<FusionRetriever> retrievers = List.of(
                ScriptedRetriever.answering(FusionRetriever.Source.VECTOR, "id-a", "id-b", "id-d"),
                ScriptedRetriever.answering(FusionRetriever.Source.GRAPH, "id-a", "id-b", "id-d"),
                ScriptedRetriever.answering(FusionRetriever.Source.RELATIONAL, "id-a", "id-d", "id-b"));
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var request = new FusionRequest("a question for a team", "t1", 2, Map.of(), null);
            var plain = new FusionEngine(retrievers, new SnapshotDirectory(withPeers), settings, false, executor,
                    registry, vectors::embed).select(request);
            var synergy = new FusionEngine(retrievers, new SnapshotDirectory(withPeers), settings, true, executor,
                    registry, vectors::embed).select(request);
            assertThat(plain.selectedExperts()).extracting(SelectedExpert::id).containsExactly("id-a", "id-b");
            assertThat(synergy.selectedExperts()).extracting(SelectedExpert::id).containsExactly("id-a", "id-d");
            assertThat(synergy.expertEvidence().get(1).reasoning()).contains("synergy");
        } finally {
            withPeers.close();
        }
    }
}
