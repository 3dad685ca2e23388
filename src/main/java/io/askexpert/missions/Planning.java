package io.askexpert.missions;

import io.askexpert.errors.ErrorCode;
import io.askexpert.runs.RunEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The mission's first stage: the plan (recorded under {@code plan}), announced as a {@code plan}
 * event, and its {@code plan_approval} checkpoint when the mission asked for one. A {@code modify}
 * re-plans with the human's comment ({@code plan/revised}; no second approval is asked, the comment
 * was the human's word on it) and the comment also guides the first step. A {@code reject} (or a
 * timeout that rejects) ends the mission as failed with {@code FORBIDDEN}: a human did not allow the
 * work, and the message says who and why. Failed rather than cancelled because cancelling is the
 * user's explicit command through the mission's cancel route; a rejected plan is an outcome of the run.
 */
final class Planning {

    /** The plan to follow and the human's comment for the first step, if any. */
    record Outcome(MissionPlan plan, @Nullable String guidance) {
    }

    private final LlmPlanner planner;

    Planning(LlmPlanner planner) {
        this.planner = planner;
    }

    Outcome plan(MissionContext ctx) throws Exception {
        MissionRun run = ctx.run();
        Mission m = ctx.mission();
        MissionPlan plan = ctx.offline()
                ? OfflinePlanner.plan(m.goal(), m.options().maxSteps(), List.of())
                : planner.plan(ctx);
        // Recorded first and announced after, outside the call: a replay then drops the events the run
        // holds, also when an attempt was stopped halfway through them.
        MissionPlan recorded = run.once("plan", MissionPlan.class, () -> plan);
        announce(ctx, recorded, "Planned");
        if (!m.options().wants(CheckpointType.PLAN_APPROVAL)) {
            return new Outcome(recorded, null);
        }
        CheckpointDecision d = run.checkpoint("plan_approval", request(ctx, recorded));
        return switch (d.kind()) {
            case APPROVE -> new Outcome(recorded, null);
            case REJECT -> throw new MissionFailure(ErrorCode.FORBIDDEN, (d.expired()
                    ? "The plan was not approved before its plan_approval checkpoint expired"
                    : "The plan was rejected at its plan_approval checkpoint by " + d.decidedBy())
                    + (blank(d.comment()) ? "" : ": " + d.comment()));
            case MODIFY -> {
                if (blank(d.comment())) {
                    yield new Outcome(recorded, null);
                }
                String comment = d.comment();
                MissionPlan revised = ctx.offline()
                        ? OfflinePlanner.plan(m.goal(), m.options().maxSteps(), List.of(comment))
                        : planner.revise(ctx, recorded, comment);
                MissionPlan kept = run.once("plan/revised", MissionPlan.class, () -> revised);
                announce(ctx, kept, "Revised the plan as asked (" + comment.strip() + ")");
                yield new Outcome(kept, comment);
            }
        };
    }

    private static void announce(MissionContext ctx, MissionPlan plan, String what) {
        ctx.run().emit(ctx.reasoning("plan", what + ": " + plan.size() + " steps"
                + (plan.offline() ? " (offline: no LLM provider is configured, so the steps search the knowledge base "
                + "and the report quotes it)" : ""), "completed", 0));
        ctx.run().emit(plan.event());
        ctx.run().emit(new RunEvent.Progress("planning", "Plan ready: " + plan.size() + " steps", 5));
    }

    private static CheckpointRequest request(MissionContext ctx, MissionPlan plan) {
        Map<String, @Nullable Object> context = new LinkedHashMap<>();
        context.put("goal", ctx.mission().goal());
        context.put("plan", plan.event().steps());
        context.put("plan_confidence", plan.confidence());
        context.put("offline", plan.offline());
        return new CheckpointRequest(CheckpointType.PLAN_APPROVAL, CheckpointRequest.Urgency.NORMAL, "Approve the plan",
                "The expert plans these steps:\n" + plan.outline() + "\nApprove, modify (say what to change) or reject?",
                context, List.of("approve", "modify", "reject"), ctx.mission().options().checkpointTimeout());
    }

    static boolean blank(@Nullable String s) {
        return s == null || s.isBlank();
    }
}
