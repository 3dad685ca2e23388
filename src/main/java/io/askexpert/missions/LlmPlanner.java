package io.askexpert.missions;

import io.askexpert.agents.Agent;
import io.askexpert.llm.LlmMessage;
import io.askexpert.llm.LlmRequest;
import io.askexpert.tools.ToolSpec;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Plans with the lead expert's model: its system prompt from the catalogue, the tools and the
 * catalogue's experts most relevant to the goal, and a JSON answer read by {@link PlanParser}. An
 * answer with no readable plan falls back to a plain research, analysis, conclusions plan.
 */
final class LlmPlanner {

    static final int MAX_TOKENS = 1_500;
    static final int EXPERTS_SHOWN = 8;

    private final ModelCalls models;
    private final MissionTools tools;
    private final ExpertDirectory catalog;

    LlmPlanner(ModelCalls models, MissionTools tools, ExpertDirectory catalog) {
        this.models = models;
        this.tools = tools;
        this.catalog = catalog;
    }

    MissionPlan plan(MissionContext ctx) throws Exception {
        return ask(ctx, "plan/llm-1", MissionPrompts.planUser(ctx.mission()));
    }

    MissionPlan revise(MissionContext ctx, MissionPlan plan, String comment) throws Exception {
        return ask(ctx, "plan/revise/llm-1", MissionPrompts.revisePlan(ctx.mission(), plan, comment));
    }

    private MissionPlan ask(MissionContext ctx, String key, String question) throws Exception {
        List<ToolSpec> specs = tools.specs();
        Mission m = ctx.mission();
        String system = MissionPrompts.planSystem(ctx.lead(), m.options().maxSteps(), specs, experts(ctx));
        LlmRequest request = new LlmRequest(ctx.lead().model(), system, List.of(LlmMessage.user(question)), MAX_TOKENS,
                0.2, List.of(), null);
        LlmTurn turn = models.turn(ctx, key, () -> request, "planning", false);
        PlanParser parser = new PlanParser(m.options().maxSteps(),
                specs.stream().map(ToolSpec::name).collect(Collectors.toSet()));
        MissionPlan parsed = parser.parse(turn.text());
        return parsed != null ? parsed : parser.fallback(m.goal());
    }

    /** The catalogue's experts closest to the goal, the lead left out. */
    private List<Agent> experts(MissionContext ctx) {
        try {
            return catalog.closest(ctx.mission().tenantId(), ctx.mission().goal(), EXPERTS_SHOWN + 1).stream()
                    .filter(a -> !a.id().equals(ctx.lead().id())).limit(EXPERTS_SHOWN).toList();
        } catch (RuntimeException e) {
            // The experts list only helps the plan; a catalogue search failure must not stop the mission.
            return List.of();
        }
    }
}
