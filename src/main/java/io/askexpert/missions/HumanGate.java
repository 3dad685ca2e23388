package io.askexpert.missions;

import io.askexpert.llm.LlmToolCall;
import io.askexpert.tools.ToolSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The checkpoint a mission raises before a critical tool call (api.md §6.4): an {@code external_action}
 * before a tool that changes something or reaches outside, under FF_HITL_STRICT even when the mission
 * asked for no checkpoints, and whenever the mission's own checkpoint types include it. (The other
 * strict rule, a spend past 80 % of the budget, is the run's: {@link MissionRun#reserve} asks it.)
 */
final class HumanGate {

    private final boolean strict;

    HumanGate(boolean strict) {
        this.strict = strict;
    }

    /** Whether a human must approve this call before it runs. */
    boolean needsApproval(MissionContext ctx, ToolSpec spec) {
        boolean critical = spec.sideEffects() || spec.external();
        return critical && (strict || ctx.mission().options().wants(CheckpointType.EXTERNAL_ACTION));
    }

    /**
     * Asks a human about one tool call (key {@code step-<n>/approve/<callId>}). Returns null when the
     * call may run, or the reason to give the model when a human (or the timeout's default) refused it.
     * A {@code modify} lets it run; its comment reaches the model with the result.
     */
    @Nullable Verdict approveTool(MissionContext ctx, int step, LlmToolCall call, ToolSpec spec) {
        if (!needsApproval(ctx, spec)) {
            return null;
        }
        Map<String, @Nullable Object> context = new LinkedHashMap<>();
        context.put("step", step);
        context.put("tool", spec.name());
        context.put("input", call.input());
        context.put("side_effects", spec.sideEffects());
        context.put("external", spec.external());
        CheckpointDecision d = ctx.run().checkpoint("step-" + step + "/approve/" + call.id(), new CheckpointRequest(
                CheckpointType.EXTERNAL_ACTION, CheckpointRequest.Urgency.HIGH, "Approve " + spec.name(),
                "The expert wants to call " + spec.name() + (spec.external() ? ", which reaches outside the service" : "")
                        + (spec.sideEffects() ? " and changes something" : "") + ". Allow this call?",
                context, List.of("approve", "reject"), ctx.mission().options().checkpointTimeout()));
        return new Verdict(d.approved(), d.comment(), d.expired());
    }

    /** A human's answer about one action: whether it may run, and any comment for the model. */
    record Verdict(boolean allowed, @Nullable String comment, boolean expired) {
        String refusal() {
            String who = expired ? "No one approved this call before its checkpoint expired" : "A human rejected this call";
            return who + (comment == null || comment.isBlank() ? "" : ": " + comment)
                    + ". It was not run; continue without it.";
        }
    }
}
