package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.mockllm.MockReply;
import io.askexpert.mockllm.MockScenario;
import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestTokens;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Missions with a model, over HTTP on the real engine, PostgreSQL, Redis and tool registry, the
 * model being the mock LLM in both wire formats: native tool calls, an LLM failure mid-step, a
 * tool timeout, the FF_HITL_STRICT checkpoint before an external call, and a step review whose
 * {@code modify} guides the next step.
 */
class MissionMockLlmIT extends MissionLlmFixture {

    @Autowired DataSource dataSource;

    private static MockScenario plan(String model, String stepsJson) {
        return MockScenario.reply(new MockReply.Scripted("{\"steps\": " + stepsJson + ", \"confidence\": 0.8}", List.of()))
                .forModel(model).whenBodyContains("Plan the mission").repeating();
    }

    private static MockScenario step(String model, int n, MockScenario.LastMessage last, String text,
                                     MockReply.ToolCall... calls) {
        return MockScenario.reply(new MockReply.Scripted(text, List.of(calls))).forModel(model)
                .whenBodyContains("Now do step " + n).whenLastMessageIs(last).repeating();
    }

    private static MockScenario report(String model, String text) {
        return MockScenario.reply(new MockReply.Scripted(text, List.of())).forModel(model)
                .whenBodyContains("final report").repeating();
    }

    private static List<String> bodies(String containing) {
        return MOCK.received().stream().map(MockLlmServer.Received::body).filter(b -> b.contains(containing)).toList();
    }

    @ParameterizedTest
    @CsvSource({CLAUDE_EXPERT + "," + CLAUDE + ",tool_use_id", GPT_EXPERT + "," + GPT + ",tool_call_id"})
    void plans_calls_tools_natively_and_delivers_a_cited_report(String expert, String model, String resultField)
            throws Exception {
        MOCK.scenario(
                plan(model, "[{\"name\": \"Search the rules\", \"description\": \"EU and US timelines\", "
                        + "\"tools\": [\"knowledge_search\"]}]"),
                step(model, 1, MockScenario.LastMessage.TEXT, "Let me search.", new MockReply.ToolCall(null,
                        "knowledge_search", Map.of("query", "expedited SUSAR reporting timelines", "top_k", 5))),
                step(model, 1, MockScenario.LastMessage.TOOL_RESULT, "Fatal cases go within 7 days [1][2]."),
                report(model, "# Timelines\n\n| Region | Fatal | Other |\n|---|---|---|\n| EU | 7 days [1] | 15 days [1] |\n"
                        + "| US | 7 days [2] | 15 days [2] |\n\nBoth regions agree on seven days [2][1].\n\n## Sources\n[1] mine"));
        String id = create(expert, Map.of("max_steps", 3, "require_checkpoints", false));

        List<StrictSse.Event> events = stream(id, 0, e -> false);

        assertThat(events.getLast().name()).isEqualTo("done");
        assertThat(names(events)).containsSubsequence("run", "mission_started", "plan", "step_started", "reasoning",
                "tool_call", "tool_result", "sources", "step_completed", "artifact", "cost", "mission_completed", "done");
        assertThat(names(events)).contains("token", "step_progress", "citation");
        JsonNode call = named(events, "tool_call").getFirst().json();
        assertThat(call.get("tool").asString()).isEqualTo("knowledge_search");
        assertThat(call.get("input").get("query").asString()).isEqualTo("expedited SUSAR reporting timelines");
        JsonNode result = named(events, "tool_result").getFirst().json();
        assertThat(result.get("id").asString()).isEqualTo(call.get("id").asString());
        assertThat(result.has("error")).isFalse();
        // the tool's result went back to the model in the provider's own format
        assertThat(bodies(resultField)).isNotEmpty().allSatisfy(b -> assertThat(b).contains(call.get("id").asString()));

        JsonNode status = status(id);
        assertThat(status.get("status").asString()).isEqualTo("completed");
        assertThat(status.get("offline").asBoolean()).isFalse();
        assertThat(status.get("plan").get("steps").get(0).get("name").asString()).isEqualTo("Search the rules");
        String report = report(status);
        assertThat(report).contains("| Region | Fatal | Other |\n|---|---|---|\n| EU | 7 days [").doesNotContain("[1] mine");
        assertThat(MissionClient.assertSourcesUnique(report)).hasSize(2);

        // the cost event carries the mission's tokens, and so do its rows in the cost ledger
        JsonNode cost = named(events, "cost").getFirst().json();
        long input = cost.get("inputTokens").asLong();
        long output = cost.get("outputTokens").asLong();
        assertThat(input).isPositive();
        assertThat(output).isPositive();
        assertThat(cost.get("totalTokens").asLong()).isEqualTo(input + output + cost.get("cacheReadTokens").asLong()
                + cost.get("cacheWriteTokens").asLong());
        assertThat(cost.get("currentCost").decimalValue()).isPositive();
        List<Map<String, Object>> rows = JdbcClient.create(dataSource).sql("select model, provider, outcome, input_tokens, "
                + "output_tokens, cost_usd from costs where mission_id = ? and provider <> 'tool'").param(id).query().listOfRows();
        // plan, the step's two turns, the report
        assertThat(rows).hasSize(4).allSatisfy(r -> {
            assertThat(r).containsEntry("model", model).containsEntry("provider",
                    model.startsWith("claude") ? "anthropic" : "openai").containsEntry("outcome", "completed");
            assertThat(((Number) r.get("output_tokens")).longValue()).isPositive();
        });
        assertThat(rows.stream().mapToLong(r -> ((Number) r.get("input_tokens")).longValue()).sum()).isEqualTo(input);
        assertThat(rows.stream().mapToLong(r -> ((Number) r.get("output_tokens")).longValue()).sum()).isEqualTo(output);
        assertThat(rows.stream().map(r -> (java.math.BigDecimal) r.get("cost_usd")).reduce(java.math.BigDecimal.ZERO,
                java.math.BigDecimal::add)).isEqualByComparingTo(cost.get("currentCost").decimalValue());
    }

    @Test
    void a_model_failing_mid_step_is_retried_then_the_mission_fails_saying_which_step() throws Exception {
        MOCK.scenario(MockScenario.fault("500").forModel(CLAUDE).whenLastMessageIs(MockScenario.LastMessage.TOOL_RESULT)
                        .repeating(),
                plan(CLAUDE, "[{\"name\": \"Search the rules\", \"tools\": [\"knowledge_search\"]}, {\"name\": \"Write\"}]"),
                step(CLAUDE, 1, MockScenario.LastMessage.TEXT, "", new MockReply.ToolCall(null, "knowledge_search",
                        Map.of("query", "SUSAR timelines"))));
        String id = create(CLAUDE_EXPERT, Map.of("max_steps", 3, "require_checkpoints", false));

        List<StrictSse.Event> events = stream(id, 0, e -> false);

        assertThat(events.getLast().name()).isEqualTo("error");
        assertThat(events.getLast().json().get("code").asString()).isEqualTo("LLM_ERROR");
        JsonNode status = status(id);
        assertThat(status.get("status").asString()).isEqualTo("failed");
        assertThat(status.get("error").get("code").asString()).isEqualTo("LLM_ERROR");
        assertThat(status.get("error").get("message").asString())
                .startsWith("Step 1 (Search the rules) failed: the model call failed twice").contains("500");
        assertThat(names(events)).contains("tool_result").doesNotContain("step_completed", "artifact");
        // the gateway's retry, twice: the step-level retry asked again after the gateway gave up
        assertThat(bodies("SUSAR timelines").stream().filter(b -> b.contains("tool_use_id")).count())
                .isGreaterThanOrEqualTo(4);
    }

    @Test
    void an_external_call_waits_for_a_human_then_its_timeout_is_fed_back_to_the_model() throws Exception {
        WEBHOOK.slow()[0] = true;
        MOCK.scenario(
                plan(GPT, "[{\"name\": \"Notify the safety inbox\", \"tools\": [\"http_post\"]}]"),
                step(GPT, 1, MockScenario.LastMessage.TEXT, "", new MockReply.ToolCall("call_hook", "http_post",
                        Map.of("url", WEBHOOK.url(), "body", Map.of("event", "susar")))),
                step(GPT, 1, MockScenario.LastMessage.TOOL_RESULT, "The inbox did not answer in time."),
                report(GPT, "# Notification\n\nNot delivered."));
        // no checkpoint asked for: FF_HITL_STRICT asks anyway before a call that reaches outside
        String id = create(GPT_EXPERT, Map.of("max_steps", 2, "require_checkpoints", false));

        List<StrictSse.Event> first = stream(id, 0, e -> e.name().equals("checkpoint"));
        JsonNode checkpoint = first.getLast().json();
        assertThat(checkpoint.get("type").asString()).isEqualTo("external_action");
        assertThat(checkpoint.get("context").get("tool").asString()).isEqualTo("http_post");
        awaitState(id, "waiting_for_human");
        assertThat(WEBHOOK.keys()).isEmpty();

        decide(checkpoint.get("id").asString(), "approve", "ok");
        List<StrictSse.Event> rest = stream(id, first.getLast().id(), e -> false);

        assertThat(rest.getLast().name()).isEqualTo("done");
        JsonNode result = named(rest, "tool_result").getFirst().json();
        assertThat(result.get("error").asString()).startsWith("TIMEOUT");
        assertThat(WEBHOOK.keys()).containsExactly(id + ":step-1/tool/call_hook");
        assertThat(bodies("call_hook").stream().filter(b -> b.contains("did not answer in time"))).isNotEmpty();
        assertThat(status(id).get("status").asString()).isEqualTo("completed");
    }

    @Test
    void a_rejected_external_call_is_not_made_and_the_model_is_told() throws Exception {
        MOCK.scenario(
                plan(CLAUDE, "[{\"name\": \"Notify the safety inbox\", \"tools\": [\"http_post\"]}]"),
                step(CLAUDE, 1, MockScenario.LastMessage.TEXT, "", new MockReply.ToolCall("toolu_hook", "http_post",
                        Map.of("url", WEBHOOK.url(), "body", Map.of("event", "susar")))),
                step(CLAUDE, 1, MockScenario.LastMessage.TOOL_RESULT, "Not sent, as the reviewer asked."),
                report(CLAUDE, "# Notification\n\nNot sent."));
        String id = create(CLAUDE_EXPERT, Map.of("max_steps", 2, "require_checkpoints", false));
        List<StrictSse.Event> first = stream(id, 0, e -> e.name().equals("checkpoint"));

        decide(first.getLast().json().get("id").asString(), "reject", "not before the medical review");
        List<StrictSse.Event> rest = stream(id, first.getLast().id(), e -> false);

        assertThat(rest.getLast().name()).isEqualTo("done");
        assertThat(WEBHOOK.keys()).isEmpty();
        assertThat(named(rest, "tool_result").getFirst().json().get("error").asString())
                .contains("A human rejected this call: not before the medical review");
        assertThat(bodies("toolu_hook").stream().filter(b -> b.contains("not before the medical review"))).isNotEmpty();
    }

    @Test
    void modify_at_a_step_review_feeds_the_comment_into_the_next_step() throws Exception {
        MOCK.scenario(
                plan(CLAUDE, "[{\"name\": \"Collect EU rules\"}, {\"name\": \"Collect US rules\"}]"),
                step(CLAUDE, 1, MockScenario.LastMessage.TEXT, "EU findings."),
                MockScenario.reply(new MockReply.Scripted("US findings on fatal cases.", List.of())).forModel(CLAUDE)
                        .whenBodyContains("focus on fatal cases").whenLastMessageIs(MockScenario.LastMessage.TEXT).repeating(),
                step(CLAUDE, 2, MockScenario.LastMessage.TEXT, "US findings."),
                report(CLAUDE, "# Rules\n\nDone."));
        String id = create(CLAUDE_EXPERT, Map.of("max_steps", 2, "checkpoint_types", List.of("step_review")));

        List<StrictSse.Event> first = stream(id, 0, e -> e.name().equals("checkpoint"));
        assertThat(first.getLast().json().get("type").asString()).isEqualTo("step_review");
        decide(first.getLast().json().get("id").asString(), "modify", "focus on fatal cases");
        List<StrictSse.Event> second = stream(id, first.getLast().id(), e -> e.name().equals("checkpoint"));

        assertThat(bodies("Now do step 2")).singleElement().satisfies(b -> assertThat(b).contains("focus on fatal cases"));
        assertThat(bodies("Now do step 1")).noneSatisfy(b -> assertThat(b).contains("focus on fatal cases"));
        assertThat(second.getLast().json().get("context").get("findings").asString()).isEqualTo("US findings on fatal cases.");
        decide(second.getLast().json().get("id").asString(), "approve", "");
        assertThat(stream(id, second.getLast().id(), e -> false).getLast().name()).isEqualTo("done");
    }

    @Test
    void a_delegation_asks_another_expert_through_mode_1_and_its_sources_reach_the_report() throws Exception {
        String question = "What are the US IND safety report timelines?";
        MOCK.scenario(
                plan(CLAUDE, "[{\"name\": \"Ask the US expert\", \"tools\": [\"consult_expert\"], \"experts\": [\""
                        + GPT_EXPERT + "\"]}]"),
                step(CLAUDE, 1, MockScenario.LastMessage.TEXT, "", new MockReply.ToolCall("toolu_ask", "consult_expert",
                        Map.of("expert", GPT_EXPERT, "question", question, "reason", "the US specialist"))),
                // the other expert answers through mode 1, with its own model and passages
                MockScenario.reply(new MockReply.Scripted("IND safety reports are due within 15 calendar days [1].",
                        List.of())).forModel(GPT).whenBodyContains(question).repeating(),
                step(CLAUDE, 1, MockScenario.LastMessage.TOOL_RESULT, "The US expert says fifteen days [1]."),
                report(CLAUDE, "# US timelines\n\nFifteen calendar days [1]."));
        String id = create(CLAUDE_EXPERT, Map.of("max_steps", 2, "require_checkpoints", false));

        List<StrictSse.Event> events = stream(id, 0, e -> false);

        assertThat(events.getLast().name()).isEqualTo("done");
        JsonNode delegation = named(events, "delegation").getFirst().json();
        assertThat(delegation.get("from").asString()).isEqualTo(CLAUDE_EXPERT);
        assertThat(delegation.get("to").asString()).isEqualTo(GPT_EXPERT);
        assertThat(delegation.get("task").asString()).isEqualTo(question);
        assertThat(delegation.get("reason").asString()).isEqualTo("the US specialist");
        assertThat(names(events)).containsSubsequence("tool_call", "delegation", "tool_result", "sources", "step_completed");
        JsonNode result = named(events, "tool_result").getFirst().json();
        assertThat(result.get("output").get("answer").asString()).contains("15 calendar days");
        // the model read the answer with its citation renumbered to the mission's sources
        assertThat(bodies("toolu_ask").stream().filter(b -> b.contains("Answer from " + GPT_EXPERT))).isNotEmpty();
        String report = report(status(id));
        assertThat(MissionClient.assertSourcesUnique(report)).singleElement()
                .satisfies(s -> assertThat(s).contains("https://example.org/ml-"));

        // The delegated answer's tokens and cost are the mission's: its run's row is filed under the
        // mission (not written twice), the budget took its cost, and the cost event counts its tokens.
        JsonNode cost = named(events, "cost").getFirst().json();
        List<Map<String, Object>> rows = JdbcClient.create(dataSource).sql("select model, provider, input_tokens, "
                + "output_tokens, cost_usd from costs where mission_id = ?").param(id).query().listOfRows();
        assertThat(rows).filteredOn(r -> GPT.equals(r.get("model"))).singleElement()
                .satisfies(r -> assertThat(((Number) r.get("output_tokens")).longValue()).isPositive());
        assertThat(rows).as("the delegation is not also a tool row at its estimate")
                .noneMatch(r -> "tool".equals(r.get("provider")));
        assertThat(rows.stream().mapToLong(r -> ((Number) r.get("input_tokens")).longValue()).sum())
                .isEqualTo(cost.get("inputTokens").asLong());
        assertThat(rows.stream().mapToLong(r -> ((Number) r.get("output_tokens")).longValue()).sum())
                .isEqualTo(cost.get("outputTokens").asLong());
        java.math.BigDecimal rowsCost = rows.stream().map(r -> (java.math.BigDecimal) r.get("cost_usd"))
                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
        assertThat(rowsCost).isEqualByComparingTo(cost.get("currentCost").decimalValue());
        assertThat(JdbcClient.create(dataSource).sql("select spent_usd from mission_budgets where mission_id = ?")
                .param(java.util.UUID.fromString(id)).query(java.math.BigDecimal.class).single())
                .isEqualByComparingTo(rowsCost);
    }

    @Test
    void a_delegated_answer_spends_at_most_what_its_mission_held_for_it() throws Exception {
        // An expert whose own prompt (about 7,000 tokens) is longer than what a delegation is held for
        // (6,000 of prompt and 1,500 of answer): its answer must be shortened to fit what was held.
        String verbose = "ml-pv-verbose";
        String prompt = "You are a pharmacovigilance expert. " + "Weigh every regulatory timeline with care. ".repeat(650);
        HttpResponse<String> seeded = send("POST", "/api/v1/expert/agents", TestTokens.admin(TENANT, "admin"),
                JSON.writeValueAsString(List.of(FixtureSupport.expert(verbose, "Verbose Expert", "expedited safety reporting",
                        "Explains at length.", prompt, "ml-pv", CLAUDE))));
        assertThat(seeded.statusCode()).as(seeded.body()).isEqualTo(200);
        String question = "How long does a sponsor have for a fatal SUSAR in the US?";
        MOCK.scenario(
                plan(CLAUDE, "[{\"name\": \"Ask the verbose expert\", \"tools\": [\"consult_expert\"], \"experts\": [\""
                        + verbose + "\"]}]"),
                step(CLAUDE, 1, MockScenario.LastMessage.TEXT, "", new MockReply.ToolCall("toolu_verbose", "consult_expert",
                        Map.of("expert", verbose, "question", question))),
                step(CLAUDE, 1, MockScenario.LastMessage.TOOL_RESULT, "Seven days [1]."),
                report(CLAUDE, "# Fatal SUSARs\n\nSeven calendar days [1]."));
        BigDecimal limit = new BigDecimal("0.30");
        String id = create(CLAUDE_EXPERT, Map.of("max_steps", 1, "require_checkpoints", false, "budget_limit_usd", limit));

        List<StrictSse.Event> events = stream(id, 0, e -> false);

        assertThat(events.getLast().name()).as(names(events).toString()).isEqualTo("done");
        JdbcClient db = JdbcClient.create(dataSource);
        BigDecimal held = db.sql("select amount_usd from budget_reservations where mission_id = ? and key = ?")
                .params(UUID.fromString(id), "step-1/tool/toolu_verbose").query(BigDecimal.class).single();
        // 6,000 prompt tokens at 3 USD and 1,500 answer tokens at 15 USD per million: the expert's worst case.
        assertThat(held).isEqualByComparingTo("0.0405");
        String asked = bodies(question).stream().filter(b -> b.contains("Weigh every regulatory")).findFirst().orElseThrow();
        long maxTokens = JSON.readTree(asked).get("max_tokens").asLong();
        assertThat(maxTokens).as("the answer's max_tokens, lowered to fit the hold").isBetween(200L, 1_499L);
        Map<String, Object> answer = db.sql("select input_tokens, cost_usd from costs where mission_id = ? and run_id <> "
                + "(select run_id from missions where id = ?::uuid) and model = ?").params(id, id, CLAUDE).query()
                .singleRow();
        long input = ((Number) answer.get("input_tokens")).longValue();
        assertThat(input).as("its prompt is longer than the hold's allowance").isGreaterThan(6_000);
        // What it could have spent at most, at the max_tokens it was given, is within what was held.
        assertThat(BigDecimal.valueOf(input * 3 + maxTokens * 15).movePointLeft(6)).isLessThanOrEqualTo(held);
        assertThat((BigDecimal) answer.get("cost_usd")).isLessThanOrEqualTo(held);
        assertThat(db.sql("select spent_usd from mission_budgets where mission_id = ?").param(UUID.fromString(id))
                .query(BigDecimal.class).single()).isLessThanOrEqualTo(limit);
    }

    @Test
    void a_delegation_its_mission_cannot_hold_is_refused_before_it_runs() throws Exception {
        // A lead on a cheap model asks an expert on a dear one: the 0.0405 USD its answer may cost do not fit.
        String question = "What does the Claude expert make of fatal SUSAR clocks?";
        MOCK.scenario(
                plan(GPT, "[{\"name\": \"Ask the other expert\", \"tools\": [\"consult_expert\"], \"experts\": [\""
                        + CLAUDE_EXPERT + "\"]}]"),
                step(GPT, 1, MockScenario.LastMessage.TEXT, "", new MockReply.ToolCall("call_dear", "consult_expert",
                        Map.of("expert", CLAUDE_EXPERT, "question", question))),
                step(GPT, 1, MockScenario.LastMessage.TOOL_RESULT, "Seven days."),
                report(GPT, "# Clocks\n\nSeven days."));
        BigDecimal limit = new BigDecimal("0.02");
        String id = create(GPT_EXPERT, Map.of("max_steps", 1, "require_checkpoints", false, "budget_limit_usd", limit));

        // FF_HITL_STRICT: first the 80 % question, then, approved, the refusal itself as a budget checkpoint.
        List<StrictSse.Event> first = stream(id, 0, e -> e.name().equals("checkpoint"));
        assertThat(first.getLast().json().get("type").asString()).isEqualTo("budget");
        decide(first.getLast().json().get("id").asString(), "approve", "");
        List<StrictSse.Event> second = stream(id, first.getLast().id(), e -> e.name().equals("checkpoint"));
        JsonNode refused = second.getLast().json();
        assertThat(refused.get("type").asString()).isEqualTo("budget");
        assertThat(refused.get("question").asString()).contains("tool consult_expert", "0.0405", "0.02");
        decide(refused.get("id").asString(), "reject", "");
        List<StrictSse.Event> rest = stream(id, second.getLast().id(), e -> false);

        assertThat(rest.getLast().name()).as(names(rest).toString()).isEqualTo("error");
        assertThat(rest.getLast().json().get("code").asString()).isEqualTo("BUDGET_EXCEEDED");
        assertThat(bodies(question).stream().filter(b -> !b.contains("Now do step"))).as("no delegated answer was asked")
                .isEmpty();
        assertThat(JdbcClient.create(dataSource).sql("select spent_usd from mission_budgets where mission_id = ?")
                .param(UUID.fromString(id)).query(BigDecimal.class).single()).isLessThanOrEqualTo(limit);
    }

    @Test
    void a_failed_delegated_answer_is_charged_to_the_mission_under_its_rows() throws Exception {
        String question = "What are the US IND timelines for unexpected reactions?";
        MOCK.scenario(
                plan(CLAUDE, "[{\"name\": \"Ask the US expert\", \"tools\": [\"consult_expert\"], \"experts\": [\""
                        + GPT_EXPERT + "\"]}]"),
                step(CLAUDE, 1, MockScenario.LastMessage.TEXT, "", new MockReply.ToolCall("toolu_broken", "consult_expert",
                        Map.of("expert", GPT_EXPERT, "question", question))),
                // the other expert's answer breaks off after a few tokens
                MockScenario.fault("cut-after-3").forModel(GPT).whenBodyContains(question).repeating(),
                step(CLAUDE, 1, MockScenario.LastMessage.TOOL_RESULT, "The US expert could not answer."),
                report(CLAUDE, "# US timelines\n\nNot answered."));
        String id = create(CLAUDE_EXPERT, Map.of("max_steps", 1, "require_checkpoints", false));

        List<StrictSse.Event> events = stream(id, 0, e -> false);

        assertThat(events.getLast().name()).as(names(events).toString()).isEqualTo("done");
        JsonNode result = named(events, "tool_result").getFirst().json();
        assertThat(result.get("error").asString()).contains("could not answer (LLM_ERROR)");
        JdbcClient db = JdbcClient.create(dataSource);
        List<Map<String, Object>> rows = db.sql("select model, outcome, input_tokens, output_tokens, cost_usd from costs "
                + "where mission_id = ?").param(id).query().listOfRows();
        assertThat(rows).as("the broken answer's row is the mission's").filteredOn(r -> GPT.equals(r.get("model")))
                .singleElement().satisfies(r -> assertThat(r.get("outcome")).isEqualTo("failed"));
        assertThat(db.sql("select count(*) from costs where tenant_id = ? and model = ? and mission_id is null and "
                        + "created_at >= (select created_at from missions where id = ?::uuid)")
                .params(TENANT, GPT, id).query(Long.class).single()).as("no delegated row left without its mission").isZero();
        JsonNode cost = named(events, "cost").getFirst().json();
        BigDecimal rowsCost = rows.stream().map(r -> (BigDecimal) r.get("cost_usd")).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(rowsCost).isEqualByComparingTo(cost.get("currentCost").decimalValue());
        assertThat(rows.stream().mapToLong(r -> ((Number) r.get("output_tokens")).longValue()).sum())
                .isEqualTo(cost.get("outputTokens").asLong());
        assertThat(db.sql("select spent_usd from mission_budgets where mission_id = ?").param(UUID.fromString(id))
                .query(BigDecimal.class).single()).isEqualByComparingTo(rowsCost);
    }
}
