package io.askexpert.missions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OfflinePlannerTest {

    @Test
    void keeps_a_subject_with_and_in_it_together_and_adds_its_key_terms() {
        List<String> aspects = OfflinePlanner.aspects(
                "Compile the EU and US expedited-reporting obligations for our oncology programme into a cited brief");

        assertThat(aspects).containsExactly(
                "Compile the EU and US expedited-reporting obligations for our oncology programme into a cited brief",
                "EU US expedited-reporting obligations oncology programme");
    }

    @Test
    void splits_clauses_that_name_subjects_of_their_own() {
        assertThat(OfflinePlanner.aspects("SUSAR reporting timelines in the EU; annual safety report content, and DSUR format"))
                .containsExactly("SUSAR reporting timelines in the EU", "annual safety report content", "DSUR format",
                        "SUSAR reporting timelines EU annual safety report content DSUR format");
    }

    @Test
    void plans_research_then_synthesis_within_max_steps() {
        MissionPlan plan = OfflinePlanner.plan("SUSAR timelines in the EU; DSUR format and content; IND annual reports",
                3, List.of());

        assertThat(plan.offline()).isTrue();
        assertThat(plan.steps()).hasSize(3);
        assertThat(plan.steps().subList(0, 2)).allSatisfy(s -> assertThat(s.tools()).containsExactly("knowledge_search"));
        assertThat(plan.steps().getLast().name()).startsWith("Synthesis");
        assertThat(plan).isEqualTo(OfflinePlanner.plan("SUSAR timelines in the EU; DSUR format and content; IND annual reports",
                3, List.of()));
    }

    @Test
    void one_step_allowed_is_one_search() {
        MissionPlan plan = OfflinePlanner.plan("Expedited reporting of SUSARs", 1, List.of());
        assertThat(plan.steps()).hasSize(1);
        assertThat(plan.steps().getFirst().tools()).containsExactly("knowledge_search");
    }

    @Test
    void a_reviewers_comment_becomes_a_research_step() {
        MissionPlan plan = OfflinePlanner.plan("Expedited reporting of SUSARs", 5, List.of("also cover Japan PMDA rules"));
        assertThat(plan.steps()).extracting(MissionPlan.PlanStep::description)
                .contains("Search the knowledge base for: also cover Japan PMDA rules");
    }

    @Test
    void a_long_goal_searches_with_a_query_the_search_tool_accepts() {
        String goal = "SUSAR reporting obligations in oncology trials ".repeat(100).strip();
        MissionPlan plan = OfflinePlanner.plan(goal, 3, List.of());

        String query = OfflineSteps.query(plan.steps().getFirst(), null);
        assertThat(query).hasSizeLessThanOrEqualTo(OfflineSteps.MAX_QUERY).startsWith("SUSAR reporting").doesNotEndWith(" ");
    }
}
