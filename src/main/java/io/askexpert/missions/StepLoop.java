package io.askexpert.missions;

import io.askexpert.agents.Agent;
import io.askexpert.llm.LlmMessage;
import io.askexpert.llm.LlmRequest;
import io.askexpert.llm.LlmTool;
import io.askexpert.llm.LlmToolCall;
import io.askexpert.llm.LlmToolChoice;
import io.askexpert.llm.LlmToolResult;
import io.askexpert.tools.ToolSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * One step with a model: native tool calling in rounds ({@code step-<n>/llm-<i>}), each round's tool
 * calls run and answered, until the model answers without calling a tool. The last allowed round
 * offers no tool choice, so a step always ends with findings. The tools offered are the expert's in
 * the mission's tenant (the registry's and the tenant's MCP tools allowed for that expert), looked
 * up at each step so that a server declared while the mission waits is offered from the next step.
 */
final class StepLoop {

    static final int MAX_ROUNDS = 8;
    static final int MAX_TOKENS = 2_048;

    private final ModelCalls models;
    private final HumanGate gate;
    private final BiFunction<String, Agent, MissionTools> toolsFor;

    /**
     * @param toolsFor the tools the expert may use in a tenant's mission (offered by {@code specs()}),
     *        asked once per attempt ({@link AttemptTools})
     */
    StepLoop(ModelCalls models, HumanGate gate, BiFunction<String, Agent, MissionTools> toolsFor) {
        this.models = models;
        this.gate = gate;
        this.toolsFor = toolsFor;
    }

    StepFindings run(MissionContext ctx, MissionPlan plan, MissionPlan.PlanStep step, List<StepFindings> earlier,
                     @Nullable String guidance) throws Exception {
        MissionTools tools = ctx.tools().of(ctx.lead(), () -> toolsFor.apply(ctx.mission().tenantId(), ctx.lead()));
        ToolRunner runner = new ToolRunner(tools, gate);
        List<LlmTool> offered = tools.specs().stream().map(ToolSpec::llmTool).toList();
        List<LlmMessage> messages = new ArrayList<>();
        messages.add(LlmMessage.user(MissionPrompts.stepUser(ctx.mission(), plan, step, earlier, guidance)));
        String what = "step " + step.number() + " (" + step.name() + ")";
        for (int round = 1; round <= MAX_ROUNDS; round++) {
            boolean last = round == MAX_ROUNDS;
            LlmRequest request = new LlmRequest(ctx.lead().model(), MissionPrompts.stepSystem(ctx.lead()),
                    List.copyOf(messages), MAX_TOKENS, temperature(ctx), List.of(), null, offered,
                    last || offered.isEmpty() ? LlmToolChoice.NONE : LlmToolChoice.AUTO);
            LlmTurn turn = models.turn(ctx, "step-" + step.number() + "/llm-" + round, () -> request, what, true);
            if (!turn.callsTools() || last) {
                return new StepFindings(step.number(), step.name(), turn.text());
            }
            messages.add(LlmMessage.toolCalls(turn.text(), turn.toolCalls()));
            List<LlmToolResult> results = new ArrayList<>();
            for (LlmToolCall call : turn.toolCalls()) {
                results.add(runner.run(ctx, step.number(), call));
            }
            messages.add(LlmMessage.toolResults(results));
        }
        throw new IllegalStateException("unreachable: the last round returns");
    }

    static double temperature(MissionContext ctx) {
        Double t = ctx.lead().temperature();
        return t == null ? 0.3 : Math.max(0, Math.min(2, t));
    }
}
