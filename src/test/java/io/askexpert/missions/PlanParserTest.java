package io.askexpert.missions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanParserTest {

    private final PlanParser parser = new PlanParser(4, Set.of("knowledge_search", "consult_expert", "calculator"));

    @Test
    void reads_the_json_it_asks_for() {
        MissionPlan plan = parser.parse("""
                {"steps": [
                  {"name": "Collect EU rules", "description": "Search CTR 536/2014 for SUSAR timelines",
                   "tools": ["knowledge_search"], "experts": [], "estimated_time_s": 90},
                  {"name": "Ask the US expert", "description": "21 CFR 312.32", "tools": ["consult_expert"],
                   "experts": ["fda-ind-safety"]}
                ], "confidence": 0.85}""");

        assertThat(plan).isNotNull();
        assertThat(plan.steps()).extracting(MissionPlan.PlanStep::name).containsExactly("Collect EU rules", "Ask the US expert");
        assertThat(plan.steps().get(0).estimatedTimeS()).isEqualTo(90);
        assertThat(plan.steps().get(1).experts()).containsExactly("fda-ind-safety");
        assertThat(plan.steps().get(1).id()).isEqualTo("step-2");
        assertThat(plan.confidence()).isEqualTo(0.85);
        assertThat(plan.offline()).isFalse();
    }

    @Test
    void reads_json_in_a_code_fence_after_prose_and_drops_unknown_tools() {
        MissionPlan plan = parser.parse("""
                Here is my plan:
                ```json
                {"steps": [{"name": "Search", "description": "find it", "tools": ["knowledge_search", "web_browse"]}]}
                ```
                Let me know.""");

        assertThat(plan).isNotNull();
        assertThat(plan.steps().getFirst().tools()).containsExactly("knowledge_search");
    }

    @Test
    void reads_a_bare_array_and_cuts_at_max_steps() {
        MissionPlan plan = parser.parse("[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"},{\"name\":\"d\"},{\"name\":\"e\"}]");

        assertThat(plan).isNotNull();
        assertThat(plan.steps()).extracting(MissionPlan.PlanStep::number).containsExactly(1, 2, 3, 4);
    }

    @Test
    void reads_a_numbered_list_with_tools_and_experts() {
        MissionPlan plan = parser.parse("""
                Plan:
                1. Gather the EU obligations: search the CTR (tools: knowledge_search)
                2. **Check US rules**: ask the IND expert (tools: consult_expert; experts: fda-ind-safety)
                3) Compute deadlines (tools: calculator)
                Some closing remark.""");

        assertThat(plan).isNotNull();
        assertThat(plan.steps()).extracting(MissionPlan.PlanStep::name)
                .containsExactly("Gather the EU obligations", "Check US rules", "Compute deadlines");
        assertThat(plan.steps().get(0).description()).isEqualTo("search the CTR");
        assertThat(plan.steps().get(1).tools()).containsExactly("consult_expert");
        assertThat(plan.steps().get(1).experts()).containsExactly("fda-ind-safety");
        assertThat(plan.steps().get(2).tools()).containsExactly("calculator");
    }

    @Test
    void gives_nothing_for_output_without_a_plan_so_the_fallback_applies() {
        assertThat(parser.parse("I cannot help with that.")).isNull();
        assertThat(parser.parse("{\"steps\": []}")).isNull();
        assertThat(parser.parse("{not json")).isNull();

        MissionPlan fallback = new PlanParser(2, Set.of("knowledge_search")).fallback("Compile the EU rules");
        assertThat(fallback.steps()).hasSize(2);
        assertThat(fallback.steps().getFirst().tools()).containsExactly("knowledge_search");
    }
}
