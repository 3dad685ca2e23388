package io.askexpert.missions;

import io.askexpert.agents.Agent;
import io.askexpert.errors.ErrorCode;
import io.askexpert.runs.RunEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mode 4: the team works the mission under its lead. The team is the one recorded when the mission
 * was created ({@link Team#KEY}); the lead plans one sub-task per member ({@link TeamPlanner}, key
 * {@code plan}); the members work their sub-tasks at the same time, each on a virtual thread of its
 * own ({@link MemberWork}, each delegation one recorded call {@code step-<n>/member}); then the lead
 * writes the report ({@link TeamReport}).
 *
 * <p>Replay and takeover: a delegation whose {@code step-<n>/member} is recorded is read back and
 * never run again; one that was half done continues from its own recorded calls. The plan's and the
 * report's events are emitted after their recorded calls, numbered for replay; a member's own events
 * (started, completed, progress) go through {@link MissionRun#emitOnce} under the member's step,
 * because their order across threads is not repeatable. When one member must wait for a human, the others finish
 * and record their work first; the mission then parks, and a {@code notification} announces the
 * checkpoint.
 */
final class TeamMissionExecutor implements MissionExecutor {

    private static final Logger log = LoggerFactory.getLogger(TeamMissionExecutor.class);

    private final ExpertDirectory catalog;
    private final TeamPlanner planner;
    private final MemberWork work;
    private final TeamReport reporting;
    private final TeamNotifications notifications;
    private final ExpertMissionExecutor.OfflineSignal offline;

    TeamMissionExecutor(ExpertDirectory catalog, TeamPlanner planner, MemberWork work, TeamReport reporting,
                        TeamNotifications notifications, ExpertMissionExecutor.OfflineSignal offline) {
        this.catalog = catalog;
        this.planner = planner;
        this.work = work;
        this.reporting = reporting;
        this.notifications = notifications;
        this.offline = offline;
    }

    @Override
    public void execute(MissionRun run) throws Exception {
        try {
            executeTeam(run);
        } catch (MissionSuspended s) {
            if (s.reason() == MissionSuspended.Reason.WAITING_FOR_HUMAN) {
                notifications.checkpointsRaised(run);
            }
            throw s;
        } catch (MissionFailure f) {
            try {
                notifications.failed(run, f);
            } catch (RuntimeException e) {
                log.debug("Mission {}: the failure notification was not sent", run.mission().id(), e);
            }
            throw f;
        }
    }

    private void executeTeam(MissionRun run) throws Exception {
        Mission m = run.mission();
        Team team = run.once(Team.KEY, Team.class, () -> {
            throw new MissionFailure(ErrorCode.INTERNAL_ERROR, "the mission has no team recorded");
        });
        Agent lead = agent(m, team.lead());
        List<Agent> members = new ArrayList<>();
        for (Team.Member member : team.members()) {
            if (member.available()) {
                members.add(agent(m, member));
            }
        }
        MissionContext ctx = new MissionContext(run, m, lead, offline.offline(), new SourceBook());
        // The plan's events are emitted outside its call, where a replay drops those the run holds.
        run.emit(new RunEvent.Progress("planning", lead.name() + " is planning the team's work", 5));
        TeamPlan plan = run.once("plan", TeamPlan.class, () -> planner.plan(ctx, members));
        run.emit(plan.event());
        run.emit(ctx.reasoning("plan", lead.name() + " delegates " + plan.tasks().size() + " sub-tasks to work in "
                + "parallel: " + String.join("; ", plan.tasks().stream().map(TeamPlan.Task::title).toList()), "completed", 0));
        List<MemberReport> reports = delegate(ctx, plan, members);
        if (reports.stream().allMatch(MemberReport::failed)) {
            throw new MissionFailure(ErrorCode.LLM_ERROR, "No member of the team could deliver its sub-task: "
                    + reports.getFirst().error());
        }
        MissionArtifact report = reporting.deliver(ctx, team, reports);
        notifications.completed(run, reports.size(), report);
    }

    /** The parallel phase: every sub-task on its own virtual thread; returns the reports in plan order. */
    private List<MemberReport> delegate(MissionContext ctx, TeamPlan plan, List<Agent> members) throws Exception {
        MissionRun run = ctx.run();
        int total = plan.tasks().size();
        AtomicInteger done = new AtomicInteger();
        List<Future<MemberReport>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (TeamPlan.Task task : plan.tasks()) {
                Agent member = members.stream().filter(a -> a.id().equals(task.memberId())).findFirst()
                        .orElseThrow(() -> new MissionFailure(ErrorCode.AGENT_NOT_FOUND, "The team member "
                                + task.memberName() + " is no longer in the catalogue"));
                // Each member numbers its own sources (the report merges them in plan order); the
                // attempt's tool lookups are shared.
                MissionContext own = new MissionContext(run, ctx.mission(), ctx.lead(), ctx.offline(), new SourceBook(),
                        ctx.tools());
                futures.add(threads.submit(() -> {
                    MemberReport r = run.once(task.stepId() + "/member", MemberReport.class,
                            () -> delegated(own, task, member));
                    int finished = done.incrementAndGet();
                    run.emitOnce(task.stepId() + "/progress", List.of(new RunEvent.StepProgress(task.number(), total,
                            task.title(), 10 + 70 * finished / total)));
                    return r;
                }));
            }
            return collect(futures);
        }
    }

    private MemberReport delegated(MissionContext own, TeamPlan.Task task, Agent member) throws Exception {
        try {
            return work.run(own, task, member);
        } catch (MissionFailure f) {
            if (!MemberWork.ownFailure(f)) {
                throw f;
            }
            // One member's failure is recorded as its part of the report; the others' work stands.
            own.run().emitOnce(task.stepId() + "/completed", List.of(new RunEvent.StepCompleted(task.stepId(), 0, "failed")));
            return new MemberReport(task.number(), member.id(), member.slug(), member.name(), task.task(), "",
                    List.of(), true, f.getMessage(), System.currentTimeMillis(), 0);
        }
    }

    /**
     * Waits for every member. A stop of the worker (interrupt) stops them all; otherwise each one
     * finishes (and records) before a suspension or a failure of another is passed on.
     */
    private static List<MemberReport> collect(List<Future<MemberReport>> futures) throws Exception {
        List<MemberReport> reports = new ArrayList<>();
        @Nullable Exception first = null;
        for (Future<MemberReport> f : futures) {
            try {
                reports.add(f.get());
            } catch (InterruptedException e) {
                futures.forEach(other -> other.cancel(true));
                throw e;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                Exception ex = cause instanceof Exception c ? c : new IllegalStateException(cause);
                // A human's checkpoint outranks other reasons: the mission must park to ask it.
                if (first == null || (ex instanceof MissionSuspended s
                        && s.reason() == MissionSuspended.Reason.WAITING_FOR_HUMAN)) {
                    first = ex;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return reports;
    }

    private Agent agent(Mission m, Team.Member member) {
        return catalog.find(m.tenantId(), member.id()).filter(Agent::active).orElseThrow(() -> new MissionFailure(
                ErrorCode.AGENT_NOT_FOUND, "The team member " + member.name() + " is no longer in the catalogue"));
    }
}
