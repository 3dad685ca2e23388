package io.askexpert.missions;

import static io.askexpert.missions.MissionFixtures.passage;
import static io.askexpert.missions.MissionFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.llm.LlmToolCall;
import io.askexpert.llm.LlmToolResult;
import io.askexpert.runs.RunEvent;
import io.askexpert.tools.ToolFailure;
import io.askexpert.tools.ToolOutput;
import io.askexpert.tools.ToolResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Human checkpoints before critical tools, idempotency keys, failures fed back to the model. */
class ToolRunnerTest {

    private final MissionFixtures.FakeTools tools = new MissionFixtures.FakeTools()
            .with(spec("http_post", true, true), inv -> new ToolResult.Succeeded("http_post", ToolOutput.of(Map.of("status", 200)), 5))
            .with(spec("slow", false, false), inv -> new ToolResult.Failed("slow", ToolFailure.TIMEOUT, "slow did not finish within 5 s", 5000));
    private final Mission mission = MissionFixtures.mission("Notify the safety inbox of the new SUSAR", 3, false, Set.of());
    private final InMemoryMissionRun run = new InMemoryMissionRun(mission);
    private final MissionContext ctx = new MissionContext(run, mission, MissionFixtures.agent("lead"), false, new SourceBook());
    private final LlmToolCall post = new LlmToolCall("c1", "http_post", Map.of("url", "https://hooks.example/x"));

    @Test
    void strict_mode_asks_before_an_external_call_even_without_checkpoints() {
        ToolRunner runner = new ToolRunner(tools, new HumanGate(true));

        assertThatThrownBy(() -> runner.run(ctx, 1, post)).isInstanceOf(MissionSuspended.class);
        assertThat(run.pending).containsOnlyKeys("step-1/approve/c1");
        assertThat(run.pending.get("step-1/approve/c1").type()).isEqualTo(CheckpointType.EXTERNAL_ACTION);
        assertThat(tools.calls).isEmpty();
    }

    @Test
    void a_rejected_call_is_not_run_and_the_model_is_told_why() throws Exception {
        ToolRunner runner = new ToolRunner(tools, new HumanGate(true));
        run.decide("step-1/approve/c1", CheckpointDecision.Kind.REJECT, "not to that address");

        LlmToolResult result = runner.run(ctx, 1, post);

        assertThat(result.isError()).isTrue();
        assertThat(result.content()).contains("A human rejected this call: not to that address").contains("not run");
        assertThat(tools.calls).isEmpty();
        assertThat(run.events(RunEvent.ToolResult.class)).singleElement()
                .satisfies(r -> assertThat(r.error()).contains("rejected"));
    }

    @Test
    void an_approved_call_runs_once_with_a_key_stable_across_replays() throws Exception {
        ToolRunner runner = new ToolRunner(tools, new HumanGate(true));
        run.decide("step-1/approve/c1", CheckpointDecision.Kind.MODIFY, "fine, but mark it urgent next time");

        LlmToolResult first = runner.run(ctx, 1, post);
        LlmToolResult replayed = runner.run(ctx, 1, post);

        assertThat(tools.calls).singleElement().satisfies(inv -> {
            assertThat(inv.idempotencyKey()).isEqualTo(mission.id() + ":step-1/tool/c1");
            assertThat(inv.missionId()).isEqualTo(mission.id());
        });
        assertThat(first.isError()).isFalse();
        assertThat(first.content()).contains("\"status\":200").contains("mark it urgent");
        assertThat(replayed).isEqualTo(first);
        assertThat(run.events(RunEvent.ToolCall.class)).hasSize(1);
        assertThat(run.reserved).containsExactly("step-1/tool/c1");
    }

    @Test
    void without_strict_mode_or_the_checkpoint_type_the_call_just_runs() throws Exception {
        ToolRunner runner = new ToolRunner(tools, new HumanGate(false));

        assertThat(runner.run(ctx, 1, post).isError()).isFalse();
        assertThat(run.pending).isEmpty();
    }

    @Test
    void the_missions_own_external_action_type_asks_without_strict_mode() {
        Mission asking = MissionFixtures.mission("Notify the safety inbox", 3, true, Set.of(CheckpointType.EXTERNAL_ACTION));
        InMemoryMissionRun r = new InMemoryMissionRun(asking);
        MissionContext c = new MissionContext(r, asking, MissionFixtures.agent("lead"), false, new SourceBook());

        assertThatThrownBy(() -> new ToolRunner(tools, new HumanGate(false)).run(c, 2, post))
                .isInstanceOf(MissionSuspended.class);
        assertThat(r.pending).containsOnlyKeys("step-2/approve/c1");
    }

    @Test
    void a_timeout_becomes_an_error_result_for_the_model() throws Exception {
        LlmToolResult result = new ToolRunner(tools, new HumanGate(true)).run(ctx, 1, new LlmToolCall("c2", "slow", Map.of()));

        assertThat(result.isError()).isTrue();
        assertThat(result.content()).contains("TIMEOUT").contains("did not finish");
        assertThat(run.events(RunEvent.ToolResult.class)).singleElement()
                .satisfies(r -> assertThat(r.error()).startsWith("TIMEOUT"));
        assertThat(run.settled.values()).allSatisfy(v -> assertThat(v.signum()).isZero());
    }

    @Test
    void a_delegation_is_announced_and_its_citations_take_the_missions_numbers() throws Exception {
        ctx.sources().register(List.of(passage("doc-x", "x1", 1, "Earlier", "seen before")));
        tools.with(spec("consult_expert", false, false), inv -> new ToolResult.Succeeded("consult_expert", new ToolOutput(
                Map.of("expert", "fda-ind", "answer", "IND safety reports are due in 15 days [1], fatal ones in 7 [2]."),
                List.of(passage("doc-us", "u1", 1, "21 CFR 312.32", "15 calendar days"),
                        passage("doc-x", "x9", 2, "Earlier", "7 calendar days"))), 20));

        LlmToolResult result = new ToolRunner(tools, new HumanGate(true)).run(ctx, 2, new LlmToolCall("c3", "consult_expert",
                Map.of("expert", "fda-ind", "question", "US IND safety report timelines?", "reason", "US rules")));

        assertThat(run.events(RunEvent.Delegation.class)).containsExactly(
                new RunEvent.Delegation("lead", "fda-ind", "US IND safety report timelines?", "US rules"));
        assertThat(result.content()).contains("due in 15 days [2], fatal ones in 7 [1].")
                .contains("[2] 21 CFR 312.32: 15 calendar days").contains("[1] Earlier: 7 calendar days");
        assertThat(ctx.sources().size()).isEqualTo(2);
    }

    @Test
    void a_delegation_costs_what_the_delegated_answer_spent_not_the_tools_estimate() throws Exception {
        DelegatedCost spent = new DelegatedCost("run-delegated", new io.askexpert.llm.Usage(1_200, 80, 0, 0),
                new java.math.BigDecimal("0.00480000"));
        tools.with(spec("consult_expert", false, false), inv -> new ToolResult.Succeeded("consult_expert", ToolOutput.of(
                Map.of("expert", "fda-ind", "answer", "Fifteen days.", "run_id", "run-delegated",
                        DelegatedCost.FIELD, spent.usage())), 20));

        new ToolRunner(tools, new HumanGate(true)).run(ctx, 1, new LlmToolCall("c4", "consult_expert",
                Map.of("expert", "fda-ind", "question", "US IND safety report timelines?")));

        // settled once, with the answer's tokens and cost (the engine files its run's row under the mission)
        assertThat(run.delegated.values()).containsExactly(spent);
        assertThat(run.settled.values()).singleElement()
                .satisfies(v -> assertThat(v).isEqualByComparingTo("0.0048"));
        // read back from the recorded output as it was
        ToolRecord recorded = run.once("step-1/tool/c4", ToolRecord.class, () -> null);
        assertThat(DelegatedCost.of(recorded.output())).contains(spent);
    }

    @Test
    void a_delegation_holds_its_answers_worst_case_and_the_answer_is_told_what_is_held() throws Exception {
        tools.with(spec("consult_expert", false, false), inv -> new ToolResult.Succeeded("consult_expert", ToolOutput.of(
                        Map.of("expert", "fda-ind", "answer", "Fifteen days.")), 20))
                .bounded("consult_expert", new java.math.BigDecimal("0.0405"));

        new ToolRunner(tools, new HumanGate(true)).run(ctx, 1, new LlmToolCall("c5", "consult_expert",
                Map.of("expert", "fda-ind", "question", "US IND safety report timelines?")));

        assertThat(run.reserved).containsExactly("step-1/tool/c5");
        assertThat(tools.calls).singleElement().satisfies(inv -> assertThat(inv.spendLimitUsd())
                .isEqualByComparingTo("0.0405"));
    }

    @Test
    void a_failed_delegated_answer_is_charged_what_it_spent_before_it_failed() throws Exception {
        DelegatedCost spent = new DelegatedCost("run-broken", new io.askexpert.llm.Usage(900, 3, 0, 0),
                new java.math.BigDecimal("0.00275000"));
        tools.with(spec("consult_expert", false, false), inv -> new ToolResult.Failed("consult_expert", ToolFailure.REFUSED,
                "fda-ind could not answer (LLM_ERROR): the answer broke off after it had started", 20,
                DelegatedCost.detail(spent)));

        LlmToolResult result = new ToolRunner(tools, new HumanGate(true)).run(ctx, 1, new LlmToolCall("c6",
                "consult_expert", Map.of("expert", "fda-ind", "question", "US IND safety report timelines?")));

        assertThat(result.isError()).isTrue();
        assertThat(result.content()).contains("could not answer (LLM_ERROR)");
        // settled with the broken answer's cost; the engine files its run's row under the mission
        assertThat(run.delegated.values()).containsExactly(spent);
        assertThat(run.settled.values()).singleElement().satisfies(v -> assertThat(v).isEqualByComparingTo("0.00275"));
    }

    @Test
    void a_call_stopped_by_a_pause_or_cancel_is_not_recorded_as_failed() {
        tools.with(spec("stopped", false, false), inv -> {
            Thread.currentThread().interrupt(); // what the registry leaves when the worker's thread is interrupted
            return new ToolResult.Failed("stopped", ToolFailure.ERROR, "stopped was stopped before it finished", 3);
        });

        assertThatThrownBy(() -> new ToolRunner(tools, new HumanGate(true)).run(ctx, 1, new LlmToolCall("c4", "stopped",
                Map.of()))).isInstanceOf(MissionSuspended.class);
        assertThat(run.journal).doesNotContainKey("step-1/tool/c4");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void a_delegation_stopped_by_a_pause_or_cancel_is_charged_what_its_answer_spent_until_then() {
        DelegatedCost spent = new DelegatedCost("run-stopped", new io.askexpert.llm.Usage(1_100, 4, 0, 0),
                new java.math.BigDecimal("0.00336000"));
        tools.with(spec("consult_expert", false, false), inv -> {
            Thread.currentThread().interrupt(); // the worker's thread was interrupted while the answer streamed
            return new ToolResult.Failed("consult_expert", ToolFailure.ERROR, "consult_expert was stopped before it finished",
                    30, DelegatedCost.detail(spent));
        });

        assertThatThrownBy(() -> new ToolRunner(tools, new HumanGate(true)).run(ctx, 1, new LlmToolCall("c7",
                "consult_expert", Map.of("expert", "fda-ind", "question", "US IND safety report timelines?"))))
                .isInstanceOf(MissionSuspended.class);
        assertThat(run.journal).doesNotContainKey("step-1/tool/c7");
        assertThat(run.delegated.values()).containsExactly(spent);
        assertThat(run.settled.values()).singleElement().satisfies(v -> assertThat(v).isEqualByComparingTo("0.00336"));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
