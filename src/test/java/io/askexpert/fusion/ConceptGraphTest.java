package io.askexpert.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConceptGraphTest {

    private static ExpertEntry expert(String id, List<String> capabilities, List<String> regions, List<String> peers,
                                      String reportsTo) {
        return new ExpertEntry(id, id, id, 2, "", "", List.of("regulatory affairs"), capabilities, regions, List.of(),
                List.of(), null, reportsTo, peers, "");
    }

    private final List<ExpertEntry> experts = List.of(
            expert("fda", List.of("IND submissions", "510(k) clearance"), List.of("US"), List.of("cmc"), "lead"),
            expert("ema", List.of("marketing authorisation applications"), List.of("EU"), List.of(), "lead"),
            expert("cmc", List.of("process validation", "stability testing"), List.of("global"), List.of("fda"), null),
            expert("pv", List.of("signal detection"), List.of("EU", "US"), List.of(), null));
    private final ConceptGraph graph = new ConceptGraph(experts);
    private final Set<String> all = Set.of("fda", "ema", "cmc", "pv");

    @Test
    void a_regulator_in_the_question_reaches_the_experts_of_its_region_with_the_path() {
        List<RetrieverHit> hits = graph.walk("What does the FDA expect for a 510(k)?", all, 10);
        assertThat(hits.getFirst().expertId()).isEqualTo("fda");
        assertThat(hits.getFirst().path()).first().isEqualTo("question");
        assertThat(hits.getFirst().path()).last().isEqualTo("expert:fda");
    }

    @Test
    void collaborators_of_a_strong_hit_are_reached_in_one_hop() {
        List<RetrieverHit> hits = graph.walk("How do I prepare IND submissions?", Set.of("fda", "cmc", "ema"), 10);
        RetrieverHit cmc = hits.stream().filter(h -> h.expertId().equals("cmc")).findFirst().orElseThrow();
        assertThat(cmc.path()).contains("collaborates_with").endsWith("expert:cmc");
        assertThat(cmc.score()).isLessThan(hits.getFirst().score());
    }

    @Test
    void experts_outside_the_visible_set_are_never_returned() {
        assertThat(graph.walk("FDA 510(k) clearance", Set.of("ema"), 10)).extracting(RetrieverHit::expertId)
                .doesNotContain("fda");
    }

    @Test
    void common_words_do_not_match_regions() {
        assertThat(graph.walk("Tell us about it", all, 10)).isEmpty();
    }

    @Test
    void synergy_is_one_for_collaborators_and_one_half_for_a_shared_manager() {
        assertThat(graph.synergy("fda", "cmc")).isEqualTo(1.0);
        assertThat(graph.synergy("fda", "ema")).isEqualTo(0.5);
        assertThat(graph.synergy("ema", "pv")).isEqualTo(0.0);
    }

    @Test
    void a_region_cue_reaches_the_region_without_diluting_the_same_words_as_a_capability() {
        var graph = new ConceptGraph(List.of(expert("device", List.of("510(k)"), List.of("US"), List.of(), null),
                expert("ind", List.of("IND submissions"), List.of("US"), List.of(), null),
                expert("ema", List.of("scientific advice"), List.of("EU"), List.of(), null)));
        List<RetrieverHit> hits = graph.walk("Is a 510(k) enough for this device?", Set.of("device", "ind", "ema"), 10);
        assertThat(hits).extracting(RetrieverHit::expertId).containsExactly("device", "ind");
        assertThat(hits.get(0).score()).as("the capability counts on top of the region")
                .isGreaterThan(2 * hits.get(1).score());
        assertThat(hits.get(0).path()).containsExactly("question", "concept:510 k", "expert:device");
        assertThat(hits.get(1).path()).containsExactly("question", "concept:510 k", "concept:region us", "expert:ind");
    }

    @Test
    void several_cues_of_one_region_count_once() {
        var graph = new ConceptGraph(List.of(expert("ind", List.of("IND submissions"), List.of("US"), List.of(), null),
                expert("ema", List.of("scientific advice"), List.of("EU"), List.of(), null)));
        double one = graph.walk("What does FDA want?", Set.of("ind", "ema"), 10).getFirst().score();
        double three = graph.walk("What does FDA want under 21 CFR for an NDA?", Set.of("ind", "ema"), 10).getFirst().score();
        assertThat(three).isEqualTo(one);
    }

    @Test
    void equal_scores_keep_catalogue_order_whatever_the_ids() {
        var graph = new ConceptGraph(List.of(expert("zz-general", List.of("signal detection"), List.of(), List.of(), null),
                expert("aa-specific", List.of("signal detection"), List.of(), List.of(), null)));
        assertThat(graph.walk("signal detection", Set.of("zz-general", "aa-specific"), 10))
                .extracting(RetrieverHit::expertId).containsExactly("zz-general", "aa-specific");
    }
}
