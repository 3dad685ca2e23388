package io.askexpert.fusion;

import static io.askexpert.fusion.FusionRetriever.Source.GRAPH;
import static io.askexpert.fusion.FusionRetriever.Source.RELATIONAL;
import static io.askexpert.fusion.FusionRetriever.Source.VECTOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.config.FusionMethod;
import io.askexpert.config.FusionSettings;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FusionEngineTest {

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        executor.shutdownNow();
    }

    private static final java.util.Set<String> KNOWN = java.util.Set.of("a", "b", "c", "d", "e", "f",
            "fallback-expert", "x-private", "generalist");

    /** Experts a–f; "x-private" belongs to tenant t2 only. a and d declare a collaboration. */
    private static final ExpertDirectory DIRECTORY = new ExpertDirectory() {
        @Override
        public Optional<ExpertProfile> find(String tenantId, String idOrSlug) {
            if (idOrSlug.equals("x-private") && !tenantId.equals("t2")) {
                return Optional.empty();
            }
            if (!KNOWN.contains(idOrSlug)) {
                return Optional.empty();
            }
            return Optional.of(new ExpertProfile(idOrSlug, idOrSlug, "Expert " + idOrSlug, 2, "specialty of " + idOrSlug));
        }

        @Override
        public Optional<ExpertProfile> mostGeneral(String tenantId) {
            return Optional.of(new ExpertProfile("generalist", "generalist", "Expert generalist", 1, "everything"));
        }

        @Override
        public SynergyBoost.Synergy synergy(String tenantId) {
            return (x, y) -> (x.equals("a") && y.equals("d")) || (x.equals("d") && y.equals("a")) ? 1.0 : 0.0;
        }
    };

    private static FusionSettings settings(boolean fallbackEnabled, String fallbackExpert) {
        return new FusionSettings(Duration.ofMillis(800), fallbackEnabled, 60, 0.40, 0.35, 0.25,
                fallbackExpert, Duration.ofMillis(300), 15, 0.5, 1.25, 0, Duration.ZERO, 0, FusionMethod.WEIGHTED_RRF);
    }

    private FusionEngine engine(FusionSettings settings, boolean synergy, FusionRetriever... retrievers) {
        return new FusionEngine(List.of(retrievers), DIRECTORY, settings, synergy, executor, registry, q -> new float[] {1f});
    }

    private static FusionRequest request(int maxExperts) {
        return new FusionRequest("What does FDA expect in an IND?", "t1", maxExperts, Map.of(), null);
    }

    private static ScriptedRetriever vector() {
        return ScriptedRetriever.answering(VECTOR, "a", "b", "c");
    }

    private static ScriptedRetriever graph() {
        return ScriptedRetriever.answering(GRAPH, "b", "a", "d");
    }

    private static ScriptedRetriever relational() {
        return ScriptedRetriever.answering(RELATIONAL, "a", "c", "b");
    }

    @Test
    void all_sources_answering_give_a_full_non_degraded_result() {
        FusionResult result = engine(settings(true, ""), false, vector(), graph(), relational()).select(request(3));
        assertThat(result.selectedExperts()).extracting(SelectedExpert::id).containsExactly("a", "b", "c");
        assertThat(result.selectedExperts().getFirst().role()).isEqualTo(PanelRole.LEAD);
        assertThat(result.evidence().degraded()).isFalse();
        assertThat(result.evidence().sourcesUsed()).containsExactlyInAnyOrder("vector", "graph", "relational");
        assertThat(result.evidence().graphPaths()).containsEntry("b", List.of("concept:b"));
        assertThat(result.evidence().method()).isEqualTo("weighted_rrf");
    }

    @Test
    void with_fusion_method_weighted_score_the_evidence_names_it_and_the_whole_lists_are_ranked() {
        FusionSettings rrf = settings(true, "");
        FusionSettings scores = new FusionSettings(rrf.timeout(), true, 60, 0.40, 0.35, 0.25, "", rrf.sourceTimeout(), 15,
                0.5, 1.25, 0, Duration.ZERO, 0, FusionMethod.WEIGHTED_SCORE);
        FusionResult result = engine(scores, false, vector(), graph(), relational()).select(request(3));
        assertThat(result.evidence().method()).isEqualTo("weighted_score");
        assertThat(result.evidence().sourcesUsed()).containsExactlyInAnyOrder("vector", "graph", "relational");
        // b is 0.01 cosine behind a (a third of the margin) and the graph's first: 0.442 against a's 0.425,
        // where RRF's flat ranks put a first (the test above).
        assertThat(result.selectedExperts().getFirst().id()).isEqualTo("b");
        assertThat(result.ranking()).containsExactly("b", "a", "c", "d");
    }

    @Test
    void a_weighted_score_lead_from_beyond_the_vector_margin_is_explained_with_its_similarity() {
        FusionSettings rrf = settings(true, "");
        FusionSettings scores = new FusionSettings(rrf.timeout(), true, 60, 0.40, 0.35, 0.25, "", rrf.sourceTimeout(), 15,
                0.5, 1.25, 0, Duration.ZERO, 0, FusionMethod.WEIGHTED_SCORE);
        var vector = new ScriptedRetriever(VECTOR, List.of(new RetrieverHit("a", 0.60), new RetrieverHit("b", 0.56)),
                Duration.ZERO, false);
        var graph = new ScriptedRetriever(GRAPH, List.of(new RetrieverHit("b", 1.0, List.of("concept:cmc"))),
                Duration.ZERO, false);
        var relational = new ScriptedRetriever(RELATIONAL, List.of(new RetrieverHit("b", 0.4)), Duration.ZERO, false);
        FusionResult result = engine(scores, false, vector, graph, relational).select(request(1));
        // b is 0.04 below a (beyond the 0.03 margin, so not among the vector's decisive hits); the graph's
        // and the full text's first place lift it: 0.40 x -1.33 + 0.35 + 0.25 = 0.067 against a's 0.
        assertThat(result.selectedExperts()).extracting(SelectedExpert::id).containsExactly("b");
        assertThat(result.expertEvidence().getFirst().reasoning())
                .startsWith("Profile similarity ranks it #2 (0.56); the concept graph ranks it #1 through 'cmc'");
    }

    @Test
    void a_slow_source_is_dropped_and_the_others_results_are_kept() {
        for (var slow : List.of(VECTOR, GRAPH, RELATIONAL)) {
            var retrievers = List.of(vector(), graph(), relational()).stream()
                    .map(r -> r.source() == slow ? r.slow(Duration.ofSeconds(3)) : r).toArray(FusionRetriever[]::new);
            FusionResult result = engine(settings(true, ""), false, retrievers).select(request(2));
            assertThat(result.evidence().degraded()).as(slow.key()).isTrue();
            assertThat(result.evidence().perSource().get(slow.key()).status()).isEqualTo("timeout");
            assertThat(result.evidence().sourcesUsed()).doesNotContain(slow.key()).hasSize(2);
            assertThat(result.selectedExperts()).isNotEmpty();
            assertThat(result.evidence().retrievalTimeMs()).isLessThan(3000);
        }
        assertThat(registry.counter("fusion_timeouts_total").count()).isEqualTo(3.0);
    }

    @Test
    void a_slow_source_alone_counts_one_timeout_for_itself() {
        for (var slow : List.of(VECTOR, GRAPH, RELATIONAL)) {
            double before = registry.counter("fusion_timeouts_total").count();
            var retrievers = List.of(vector(), graph(), relational()).stream()
                    .map(r -> r.source() == slow ? r.slow(Duration.ofSeconds(3)) : r).toArray(FusionRetriever[]::new);
            engine(settings(true, ""), false, retrievers).select(request(2));
            assertThat(registry.counter("fusion_timeouts_total").count()).as(slow.key()).isEqualTo(before + 1);
            assertThat(registry.counter("fusion_source_timeouts_total", "source", slow.key()).count()).isEqualTo(1.0);
            assertThat(registry.find("fusion_source_duration").tag("source", slow.key()).tag("outcome", "timeout")
                    .timer().count()).isEqualTo(1);
        }
    }

    @Test
    void a_failing_source_is_dropped_and_the_others_results_are_kept() {
        for (var broken : List.of(VECTOR, GRAPH, RELATIONAL)) {
            var retrievers = List.of(vector(), graph(), relational()).stream()
                    .map(r -> r.source() == broken ? r.failing() : r).toArray(FusionRetriever[]::new);
            FusionResult result = engine(settings(true, ""), false, retrievers).select(request(2));
            assertThat(result.evidence().degraded()).isTrue();
            assertThat(result.evidence().perSource().get(broken.key()).status()).isEqualTo("failed");
            assertThat(result.evidence().sourcesUsed()).doesNotContain(broken.key()).hasSize(2);
            assertThat(result.selectedExperts()).isNotEmpty();
            assertThat(registry.counter("fusion_source_failures_total", "source", broken.key()).count()).isEqualTo(1.0);
            assertThat(registry.find("fusion_source_duration").tag("source", broken.key()).tag("outcome", "failed")
                    .timer().count()).isEqualTo(1);
        }
        assertThat(registry.counter("fusion_timeouts_total").count()).as("a failure is not a timeout").isZero();
    }

    @Test
    void each_source_reports_its_own_time_not_the_wait_for_the_others() {
        var slowVector = new ScriptedRetriever(VECTOR, vector().hits(), Duration.ofMillis(150), false);
        FusionResult result = engine(settings(true, ""), false, slowVector, graph(), relational()).select(request(2));
        assertThat(result.timings().perSourceMs().get("vector")).isGreaterThanOrEqualTo(150.0);
        assertThat(result.timings().perSourceMs().get("graph")).isLessThan(100.0);
        assertThat(result.timings().perSourceMs().get("relational")).isLessThan(100.0);
        assertThat(result.timings().fusionMs()).isGreaterThanOrEqualTo(150.0);
    }

    @Test
    void every_source_failing_uses_the_fallback_expert_when_enabled() {
        FusionResult result = engine(settings(true, "fallback-expert"), false,
                vector().failing(), graph().failing(), relational().slow(Duration.ofSeconds(3))).select(request(3));
        assertThat(result.fallback()).isTrue();
        assertThat(result.selectedExperts()).extracting(SelectedExpert::id, SelectedExpert::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("fallback-expert", PanelRole.FALLBACK));
        assertThat(result.evidence().fallbackReason()).isEqualTo("all_sources_failed");
    }

    @Test
    void without_a_configured_fallback_expert_the_most_general_one_answers() {
        FusionResult result = engine(settings(true, ""), false,
                vector().failing(), graph().failing(), relational().failing()).select(request(3));
        assertThat(result.fallback()).isTrue();
        assertThat(result.selectedExperts()).extracting(SelectedExpert::id).containsExactly("generalist");
        assertThat(result.evidence().fallbackReason()).isEqualTo("all_sources_failed");
        assertThat(result.evidence().degraded()).isTrue();
    }

    @Test
    void every_source_failing_without_fallback_is_a_fusion_timeout() {
        var engine = engine(settings(false, "fallback-expert"), false, vector().failing(), graph().failing(),
                relational().failing());
        assertThatThrownBy(() -> engine.select(request(3)))
                .isInstanceOf(AskExpertException.class)
                .extracting(e -> ((AskExpertException) e).code()).isEqualTo(ErrorCode.FUSION_TIMEOUT);
    }

    @Test
    void a_fallback_expert_that_does_not_exist_is_not_invented() {
        var engine = engine(settings(true, "no-such-expert"), false, vector().failing(), graph().failing(),
                relational().failing());
        assertThatThrownBy(() -> engine.select(request(3))).isInstanceOf(AskExpertException.class);
    }

    @Test
    void request_weights_change_the_ranking() {
        var engine = engine(settings(true, ""), false, vector(), graph(), relational());
        var graphHeavy = engine.select(new FusionRequest("q?", "t1", 1, Map.of(), new FusionEvidence.Weights(0, 1, 0)));
        var vectorHeavy = engine.select(new FusionRequest("q?", "t1", 1, Map.of(), new FusionEvidence.Weights(1, 0, 0)));
        assertThat(graphHeavy.selectedExperts().getFirst().id()).isEqualTo("b");
        assertThat(vectorHeavy.selectedExperts().getFirst().id()).isEqualTo("a");
        assertThat(graphHeavy.evidence().perSource().get("vector").status()).isEqualTo("skipped");
    }

    @Test
    void synergy_changes_team_composition() {
        // Without synergy the second seat goes to b; a declared a–d collaboration seats d instead.
        var vector = ScriptedRetriever.answering(VECTOR, "a", "b", "d");
        var graph = ScriptedRetriever.answering(GRAPH, "a", "b", "d");
        var relational = ScriptedRetriever.answering(RELATIONAL, "a", "d", "b");
        var plain = engine(settings(true, ""), false, vector, graph, relational).select(request(2));
        var boosted = engine(settings(true, ""), true, vector, graph, relational).select(request(2));
        assertThat(plain.selectedExperts()).extracting(SelectedExpert::id).containsExactly("a", "b");
        assertThat(boosted.selectedExperts()).extracting(SelectedExpert::id).containsExactly("a", "d");
        assertThat(boosted.expertEvidence().get(1).synergyBoost()).isGreaterThan(1.0);
        assertThat(boosted.expertEvidence().get(1).reasoning()).contains("synergy");
        assertThat(plain.expertEvidence().get(1).synergyBoost()).isEqualTo(1.0);
    }

    @Test
    void a_panel_member_needs_the_panel_bar_and_something_the_lead_does_not_cover() {
        var vector = ScriptedRetriever.answering(VECTOR, "a", "b", "c");
        var sameTopic = new ScriptedRetriever(GRAPH, List.of(new RetrieverHit("a", 1.0, List.of(), List.of("ind")),
                new RetrieverHit("b", 0.9, List.of(), List.of("ind")),
                new RetrieverHit("c", 0.8, List.of(), List.of("ind", "cmc"))), Duration.ZERO, false);
        FusionResult open = engine(settings(true, ""), false, vector, sameTopic).select(request(3));
        assertThat(open.selectedExperts()).extracting(SelectedExpert::id).containsExactly("a", "c");
        assertThat(open.selectedExperts().get(1).reason()).contains("'cmc'").contains("panel bar 0");
        var strict = new FusionSettings(Duration.ofMillis(800), true, 60, 0.40, 0.35, 0.25, "",
                Duration.ofMillis(300), 15, 0.5, 1.25, 0, Duration.ZERO, 100, FusionMethod.WEIGHTED_RRF);
        FusionResult alone = engine(strict, false, vector, sameTopic).select(request(3));
        assertThat(alone.selectedExperts()).extracting(SelectedExpert::id).containsExactly("a");
        assertThat(alone.ranking()).startsWith("a", "b", "c");
    }

    @Test
    void each_selected_expert_carries_its_ranks_scores_graph_path_and_a_sentence() {
        FusionResult result = engine(settings(true, ""), false, vector(), graph(), relational()).select(request(2));
        assertThat(result.expertEvidence()).hasSameSizeAs(result.selectedExperts());
        ExpertEvidence b = result.expertEvidence().get(1);
        assertThat(b.id()).isEqualTo("b");
        assertThat(b.ranks()).containsEntry("vector", 2).containsEntry("graph", 1).containsEntry("relational", 3);
        assertThat(b.scores()).containsKeys("vector", "graph", "relational");
        assertThat(b.graphPath()).containsExactly("concept:b");
        assertThat(b.reasoning()).contains("Profile similarity ranks it #2").contains("concept graph ranks it #1")
                .contains("through 'b'").contains("full text ranks it #3");
        assertThat(result.timings().perSourceMs()).containsKeys("vector", "graph", "relational");
    }

    @Test
    void the_fallback_expert_explains_why_it_answers() {
        FusionResult result = engine(settings(true, "fallback-expert"), false,
                vector().failing(), graph().failing(), relational().failing()).select(request(3));
        assertThat(result.expertEvidence()).singleElement()
                .satisfies(e -> assertThat(e.reasoning()).contains("fallback").contains("no retrieval source answered"));
    }

    @Test
    void experts_the_tenant_cannot_see_are_never_selected() {
        var engine = engine(settings(true, ""), false, ScriptedRetriever.answering(VECTOR, "x-private", "a"),
                ScriptedRetriever.answering(GRAPH, "x-private", "a"), ScriptedRetriever.answering(RELATIONAL, "x-private"));
        assertThat(engine.select(request(3)).selectedExperts()).extracting(SelectedExpert::id).containsExactly("a");
        var asOwner = engine.select(new FusionRequest("q?", "t2", 3, Map.of(), null));
        assertThat(asOwner.selectedExperts()).extracting(SelectedExpert::id).startsWith("x-private");
    }

    @Test
    void confidences_are_between_0_and_100_and_the_lead_is_most_confident() {
        var result = engine(settings(true, ""), false, vector(), graph(), relational()).select(request(3));
        assertThat(result.selectedExperts()).allMatch(e -> e.confidence() >= 0 && e.confidence() <= 100);
        assertThat(result.selectedExperts().getFirst().confidence())
                .isGreaterThanOrEqualTo(result.selectedExperts().get(1).confidence());
    }

    @Test
    void only_the_hits_a_source_is_sure_of_are_fused_and_the_evidence_keeps_every_hit() {
        List<RetrieverHit> cosines = List.of(new RetrieverHit("a", 0.71), new RetrieverHit("b", 0.69),
                new RetrieverHit("c", 0.67), new RetrieverHit("d", 0.60));
        assertThat(FusionEngine.decisive(VECTOR, cosines)).extracting(RetrieverHit::expertId)
                .as("within 0.03 cosine of the best").containsExactly("a", "b");
        List<RetrieverHit> ranks = List.of(new RetrieverHit("a", 0.8), new RetrieverHit("b", 0.4),
                new RetrieverHit("c", 0.39));
        assertThat(FusionEngine.decisive(GRAPH, ranks)).extracting(RetrieverHit::expertId)
                .as("at least half of the best").containsExactly("a", "b");

        var scripted = new ScriptedRetriever(VECTOR, cosines, Duration.ZERO, false);
        FusionResult result = engine(settings(true, ""), false, scripted).select(request(3));
        assertThat(result.ranking()).as("c and d are not fused").containsExactly("a", "b");
        assertThat(result.evidence().vectorScores()).containsOnlyKeys("a", "b", "c", "d");
    }

    @Test
    void the_vector_source_compares_profiles_with_the_question_behind_the_retrieval_instruction() {
        java.util.List<FusionQuery> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        FusionRetriever capturing = new FusionRetriever() {
            @Override
            public Source source() {
                return VECTOR;
            }

            @Override
            public boolean needsEmbedding() {
                return true;
            }

            @Override
            public List<RetrieverHit> retrieve(FusionQuery query) {
                seen.add(query);
                return List.of(new RetrieverHit("a", 0.7));
            }
        };
        var engine = new FusionEngine(List.of(capturing), DIRECTORY, settings(true, ""), false, executor, registry,
                q -> q.startsWith(FusionEngine.QUERY_INSTRUCTION) ? new float[] {0f, 1f} : new float[] {1f, 0f});
        engine.select(request(1));
        assertThat(seen).singleElement().satisfies(q -> {
            assertThat(q.embedding()).as("the question as written, for concept phrases").containsExactly(1f, 0f);
            assertThat(q.profileEmbedding()).as("behind the instruction, for profiles").containsExactly(0f, 1f);
        });
    }
}
