package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.askexpert.mockllm.MockReply;
import io.askexpert.mockllm.MockScenario;
import io.askexpert.testsupport.StrictSse;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A delegation stopped halfway by its mission's pause or cancel, on the real engine, PostgreSQL and
 * the mock LLM: the delegated answer's model call is cancelled upstream, and what it had spent until
 * then (its prompt and the tokens it streamed) is the mission's, as for an answer that broke off: the
 * delegation's reservation is settled with it and the answer's cost row is filed under the mission.
 */
class MissionDelegationStopIT extends MissionLlmFixture {

    private static final String KEY = "step-1/tool/call_stop";

    @Autowired DataSource dataSource;

    @ParameterizedTest
    @ValueSource(strings = {"pause", "cancel"})
    void a_delegation_stopped_halfway_is_charged_what_its_answer_spent_until_then(String stop) throws Exception {
        String question = "How fast must a fatal SUSAR reach the FDA (" + stop + ")?";
        MOCK.scenario(
                MockScenario.reply(new MockReply.Scripted("{\"steps\": [{\"name\": \"Ask the other expert\", \"tools\": "
                        + "[\"consult_expert\"], \"experts\": [\"" + CLAUDE_EXPERT + "\"]}], \"confidence\": 0.8}", List.of()))
                        .forModel(GPT).whenBodyContains("Plan the mission").repeating(),
                MockScenario.reply(new MockReply.Scripted("", List.of(new MockReply.ToolCall("call_stop", "consult_expert",
                                Map.of("expert", CLAUDE_EXPERT, "question", question)))))
                        .forModel(GPT).whenBodyContains("Now do step 1").whenLastMessageIs(MockScenario.LastMessage.TEXT)
                        .repeating(),
                // the delegated answer streams three tokens, then nothing more until the mission stops it
                MockScenario.fault("stall-after-3").forModel(CLAUDE).whenBodyContains(question).repeating());
        String id = create(GPT_EXPERT, Map.of("max_steps", 1, "require_checkpoints", false));
        UUID mission = UUID.fromString(id);
        JdbcClient db = JdbcClient.create(dataSource);

        stream(id, 0, e -> e.name().equals("delegation"));
        await().atMost(Duration.ofSeconds(20)).until(() -> MOCK.stats().byFault().getOrDefault("stall-after", 0L) >= 1);
        Thread.sleep(500); // the three tokens are out: the answer has spent its prompt and them
        long closedBefore = MOCK.stats().clientClosed();
        MissionClient.ok(client().post("/api/v1/expert/mode3/mission/" + id + "/" + stop, null));

        await().atMost(Duration.ofSeconds(20)).until(() -> db.sql("select status from budget_reservations "
                + "where mission_id = ? and key = ?").params(mission, KEY).query(String.class).single(), "settled"::equals);
        assertThat(MOCK.stats().clientClosed()).as("the delegated call was cancelled upstream").isGreaterThan(closedBefore);
        BigDecimal settled = db.sql("select actual_usd from budget_reservations where mission_id = ? and key = ?")
                .params(mission, KEY).query(BigDecimal.class).single();
        assertThat(settled).as("what the answer spent until it was stopped").isPositive()
                .isLessThanOrEqualTo(new BigDecimal("0.0405"));
        Map<String, Object> answer = db.sql("select outcome, output_tokens, cost_usd from costs where mission_id = ? "
                + "and model = ?").params(id, CLAUDE).query().singleRow();
        assertThat(answer.get("outcome")).isEqualTo("cancelled");
        assertThat(((Number) answer.get("output_tokens")).longValue()).isGreaterThanOrEqualTo(3);
        assertThat((BigDecimal) answer.get("cost_usd")).isEqualByComparingTo(settled);
        assertThat(db.sql("select count(*) from costs where tenant_id = ? and model = ? and mission_id is null and "
                        + "created_at >= (select created_at from missions where id = ?::uuid)")
                .params(TENANT, CLAUDE, id).query(Long.class).single()).as("no delegated row left without its mission").isZero();

        if (stop.equals("pause")) {
            awaitState(id, "paused");
            MissionClient.ok(client().post("/api/v1/expert/mode3/mission/" + id + "/cancel", null));
        }
        List<StrictSse.Event> events = stream(id, 0, e -> false);
        assertThat(events.getLast().name()).as(names(events).toString()).isEqualTo("cancelled");
        BigDecimal rows = db.sql("select coalesce(sum(cost_usd), 0) from costs where mission_id = ?").param(id)
                .query(BigDecimal.class).single();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, Object> budget = db.sql("select spent_usd, reserved_usd from mission_budgets where mission_id = ?")
                    .param(mission).query().singleRow();
            assertThat((BigDecimal) budget.get("spent_usd")).isEqualByComparingTo(rows);
            assertThat((BigDecimal) budget.get("reserved_usd")).isEqualByComparingTo("0");
        });
        assertThat(events.getLast().json().get("partial_cost").decimalValue()).isEqualByComparingTo(rows);
    }
}
