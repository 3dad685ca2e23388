package io.askexpert.missions;

import io.askexpert.agents.Agent;
import io.askexpert.errors.ErrorCode;
import io.askexpert.runs.RunEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The mission as its lead expert works it: {@link Planning} (plan and its approval), then each step
 * of the plan up to {@code max_steps} ({@code step_started}, the work, {@code step_completed} and
 * {@code step_progress}, then a {@code step_review} checkpoint when asked for), then
 * {@link Reporting} (final review and the report artifact). With a model each step is a
 * {@link StepLoop}; without one (no LLM key) each is an {@link OfflineSteps} search, and the report
 * says it is offline.
 *
 * <p>Replay: every model call, tool call, plan, step boundary and the report is recorded through
 * {@link MissionRun#once} under a deterministic key, so after a takeover, a pause or a human's
 * decision this method runs again from the top, reads back what was done and continues where the
 * mission stopped. The plan's, a step's boundary and the report's events are emitted outside their
 * calls, where the run numbers them and a replay drops those already sent. A {@code modify}
 * at a step's review guides the next step (or the report, after the last); a {@code reject} fails
 * the mission with {@code FORBIDDEN} and the reviewer's reason.
 */
final class ExpertMissionExecutor implements MissionExecutor {

    /** When a step began and ended, recorded so that replays do not announce it again. */
    record StepMark(long atMillis) {
        static StepMark now() {
            return new StepMark(System.currentTimeMillis());
        }
    }

    private final ExpertDirectory catalog;
    private final Planning planning;
    private final StepLoop steps;
    private final OfflineSteps offlineSteps;
    private final Reporting reporting;
    private final OfflineSignal offline;

    ExpertMissionExecutor(ExpertDirectory catalog, Planning planning, StepLoop steps, OfflineSteps offlineSteps,
                          Reporting reporting, OfflineSignal offline) {
        this.catalog = catalog;
        this.planning = planning;
        this.steps = steps;
        this.offlineSteps = offlineSteps;
        this.reporting = reporting;
        this.offline = offline;
    }

    /** Whether missions run without a model (no provider key configured). */
    @FunctionalInterface
    interface OfflineSignal {
        boolean offline();
    }

    @Override
    public void execute(MissionRun run) throws Exception {
        Mission m = run.mission();
        Agent lead = catalog.find(m.tenantId(), m.agentId()).orElseThrow(() -> new MissionFailure(
                ErrorCode.AGENT_NOT_FOUND, "The mission's expert " + m.agentId() + " is no longer in the catalogue"));
        MissionContext ctx = new MissionContext(run, m, lead, offline.offline(), new SourceBook());
        Planning.Outcome planned = planning.plan(ctx);
        MissionPlan plan = planned.plan();
        String guidance = planned.guidance();
        List<StepFindings> done = new ArrayList<>();
        int total = Math.min(plan.size(), m.options().maxSteps());
        for (MissionPlan.PlanStep step : plan.steps().subList(0, total)) {
            run.checkInterrupted();
            // The marks are recorded first and the events emitted after, outside the call: a replay then
            // drops the ones the run already holds, also when an attempt stopped halfway through them.
            StepMark started = run.once(step.id() + "/started", StepMark.class, StepMark::now);
            announce(ctx, step, total);
            StepFindings found = ctx.offline()
                    ? offlineSteps.run(ctx, step, done, guidance)
                    : steps.run(ctx, plan, step, done, guidance);
            done.add(found);
            StepMark ended = run.once(step.id() + "/completed", StepMark.class, StepMark::now);
            complete(ctx, step, total, Math.max(0, ended.atMillis() - started.atMillis()), found);
            guidance = review(ctx, step, found);
        }
        reporting.deliver(ctx, plan, done, guidance);
    }

    private static void announce(MissionContext ctx, MissionPlan.PlanStep step, int total) {
        MissionRun run = ctx.run();
        run.emit(new RunEvent.StepStarted(step.id(), step.name()));
        run.emit(new RunEvent.StepProgress(step.number(), total, step.name(), percent(step.number() - 1, total)));
        run.emit(ctx.reasoning(step.id(), "Step " + step.number() + " of " + total + ": " + step.name()
                + (step.description().isBlank() ? "" : " (" + step.description() + ")")
                + (step.tools().isEmpty() ? "" : "; tools: " + String.join(", ", step.tools()))
                + (step.experts().isEmpty() ? "" : "; consulting " + String.join(", ", step.experts())), "started", 0));
    }

    private static void complete(MissionContext ctx, MissionPlan.PlanStep step, int total, long took, StepFindings found) {
        MissionRun run = ctx.run();
        run.emit(ctx.reasoning(step.id(), summary(found.text()), "completed", took));
        run.emit(new RunEvent.StepCompleted(step.id(), took, "completed"));
        run.emit(new RunEvent.StepProgress(step.number(), total, step.name(), percent(step.number(), total)));
        run.emit(new RunEvent.Progress("executing", "Step " + step.number() + " of " + total + " done: " + step.name(),
                5 + 85 * step.number() / total));
    }

    /** The step_review checkpoint, when asked for: the comment of a {@code modify} guides what comes next. */
    private static @Nullable String review(MissionContext ctx, MissionPlan.PlanStep step, StepFindings found) {
        if (!ctx.mission().options().wants(CheckpointType.STEP_REVIEW)) {
            return null;
        }
        Map<String, @Nullable Object> context = new LinkedHashMap<>();
        context.put("step_id", step.id());
        context.put("step", step.name());
        context.put("findings", summary(found.text()));
        CheckpointDecision d = ctx.run().checkpoint(step.id() + "/review", new CheckpointRequest(CheckpointType.STEP_REVIEW,
                CheckpointRequest.Urgency.NORMAL, "Review step " + step.number() + ": " + step.name(),
                "Step " + step.number() + " is done. Approve, modify (your comment guides the next step) or reject?",
                context, List.of("approve", "modify", "reject"), ctx.mission().options().checkpointTimeout()));
        return switch (d.kind()) {
            case APPROVE -> null;
            case MODIFY -> d.comment();
            case REJECT -> throw new MissionFailure(ErrorCode.FORBIDDEN, "Step " + step.number() + " (" + step.name()
                    + ") was " + (d.expired() ? "not approved before its review expired" : "rejected at its review by "
                    + d.decidedBy()) + (Planning.blank(d.comment()) ? "" : ": " + d.comment()));
        };
    }

    private static int percent(int done, int total) {
        return total == 0 ? 100 : Math.min(100, 100 * done / total);
    }

    private static String summary(String text) {
        String s = text.strip().replaceAll("\\s+", " ");
        return s.length() <= 600 ? s : s.substring(0, 597) + "…";
    }
}
