package io.askexpert.missions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.errors.AskExpertException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class Mode4RequestTest {

    static final String GOAL = "Prepare the inspection readiness plan for our oncology trial";

    private static Mode4Request.Options options(Integer team, BigDecimal budget, String priority, Long timeout,
                                                List<String> include) {
        return new Mode4Request.Options(null, team, budget, priority, null, timeout, null, include);
    }

    @Test
    void applies_the_contracts_defaults() {
        Mode4Request.Valid v = new Mode4Request(GOAL, null, null, null).validated();
        MissionOptions o = v.options();
        assertThat(o.maxTeamSize()).isEqualTo(4);
        assertThat(o.budgetLimitUsd()).isEqualByComparingTo("10.00");
        assertThat(o.priority()).isEqualTo(MissionOptions.Priority.NORMAL);
        assertThat(o.checkpointTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(o.enableFusion()).isTrue();
        assertThat(o.notifyOnCompletion()).isFalse();
        assertThat(o.requireCheckpoints()).isFalse();
        assertThat(v.includeExperts()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            0    | null  | null   | null    | null      | options.max_team_size
            7    | null  | null   | null    | null      | options.max_team_size
            null | 0     | null   | null    | null      | options.budget_limit_usd
            null | 10001 | null   | null    | null      | options.budget_limit_usd
            null | null  | urgent | null    | null      | options.priority
            null | null  | null   | 0       | null      | options.checkpoint_auto_timeout_s
            null | null  | null   | 2592001 | null      | options.checkpoint_auto_timeout_s
            2    | null  | null   | null    | a,b,c     | options.include_experts
            """)
    void refuses_each_bad_option_naming_its_field(Integer team, BigDecimal budget, String priority, Long timeout,
                                                  String include, String field) {
        List<String> experts = include == null ? null : Arrays.asList(include.split(","));
        assertThatThrownBy(() -> new Mode4Request(GOAL, null, options(team, budget, priority, timeout, experts), null)
                .validated()).isInstanceOfSatisfying(AskExpertException.class,
                e -> assertThat(e.details()).containsEntry("field", field));
    }

    @ParameterizedTest
    @CsvSource({"low, LOW", "NORMAL, NORMAL", " high , HIGH"})
    void reads_the_priority_in_any_case(String wire, MissionOptions.Priority expected) {
        assertThat(new Mode4Request(GOAL, null, options(null, null, wire, null, null), null).validated().options()
                .priority()).isEqualTo(expected);
    }

    @Test
    void keeps_requested_experts_once_and_the_context_without_nulls() {
        java.util.Map<String, Object> context = new java.util.HashMap<>();
        context.put("region_id", "eu");
        context.put("phase_id", null);
        Mode4Request.Valid v = new Mode4Request(GOAL, " Title ", options(3, null, null, null,
                List.of("a", " a ", "b")), context).validated();
        assertThat(v.includeExperts()).containsExactly("a", "b");
        assertThat(v.context()).isEqualTo(Map.of("region_id", "eu"));
        assertThat(v.title()).isEqualTo("Title");
        assertThat(v.options().maxSteps()).isEqualTo(3);
    }

    @Test
    void the_goal_is_required() {
        assertThatThrownBy(() -> new Mode4Request("short", null, null, null).validated())
                .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.details()).containsEntry("field", "goal"));
    }
}
