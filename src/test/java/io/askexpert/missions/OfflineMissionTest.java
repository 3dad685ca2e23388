package io.askexpert.missions;

import static io.askexpert.missions.MissionFixtures.passage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.errors.ErrorCode;
import io.askexpert.runs.RunEvent;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The keyless mission end to end in memory: plan approval, searches, the cited offline report, replays. */
class OfflineMissionTest {

    private static final String GOAL = "SUSAR reporting timelines in the EU; IND safety report timelines in the US";

    private final MissionFixtures.FakeTools tools = new MissionFixtures.FakeTools().searching(List.of(
            passage("ctr", "ctr-1", 1, "EU CTR Article 42", "The sponsor shall report fatal or life-threatening SUSARs "
                    + "to the EudraVigilance database within seven days of becoming aware of them."),
            passage("ctr", "ctr-2", 2, "EU CTR Article 42", "Other SUSARs shall be reported no later than fifteen days "
                    + "after the sponsor became aware of the reporting timelines."),
            passage("cfr", "cfr-1", 3, "21 CFR 312.32", "The sponsor must notify FDA in an IND safety report of potential "
                    + "serious risks within 15 calendar days; US timelines differ for unexpected fatal reactions.")));
    private final MissionFixtures.ListArtifacts artifacts = new MissionFixtures.ListArtifacts();
    private final ExpertMissionExecutor executor = executor();

    private ExpertMissionExecutor executor() {
        ToolRunner runner = new ToolRunner(tools, new HumanGate(true));
        return new ExpertMissionExecutor(MissionFixtures.directory(MissionFixtures.agent("lead")), new Planning(null),
                null, new OfflineSteps(runner), new Reporting(null, artifacts), () -> true);
    }

    private InMemoryMissionRun run(Set<CheckpointType> types) {
        return new InMemoryMissionRun(MissionFixtures.mission(GOAL, 5, !types.isEmpty(), types));
    }

    @Test
    void waits_for_plan_approval_then_writes_a_cited_offline_report() throws Exception {
        InMemoryMissionRun run = run(Set.of(CheckpointType.PLAN_APPROVAL));

        assertThatThrownBy(() -> executor.execute(run.newAttempt())).isInstanceOf(MissionSuspended.class);
        assertThat(run.pending).containsOnlyKeys("plan_approval");
        assertThat(run.events(RunEvent.Plan.class)).hasSize(1);
        assertThat(tools.calls).isEmpty();

        run.decide("plan_approval", CheckpointDecision.Kind.APPROVE, "");
        executor.execute(run.newAttempt());

        String report = artifacts.contents.getFirst();
        assertThat(report).startsWith("# " + GOAL).contains(Reporting.OFFLINE_LABEL);
        assertCitationsResolveToUniqueSources(report);
        assertThat(report).contains("seven days").contains("**EU CTR Article 42**").contains("**21 CFR 312.32**");
        MissionPlan plan = run.once("plan", MissionPlan.class, () -> null);
        assertThat(plan.offline()).isTrue();
        assertThat(run.events(RunEvent.StepStarted.class)).hasSize(plan.size());
        assertThat(run.events(RunEvent.StepCompleted.class)).hasSize(plan.size());
        assertThat(run.events(RunEvent.Artifact.class)).singleElement()
                .satisfies(a -> assertThat(a.type()).isEqualTo("report"));
        assertThat(run.events(RunEvent.Citation.class)).isNotEmpty();
        assertThat(tools.calls).hasSize(plan.size() - 1);
    }

    @Test
    void a_replay_after_completion_repeats_no_call_and_no_event() throws Exception {
        InMemoryMissionRun run = run(Set.of());
        executor.execute(run.newAttempt());
        int events = run.events.size();
        int calls = tools.calls.size();

        executor.execute(run.newAttempt());

        assertThat(run.events).hasSize(events);
        assertThat(tools.calls).hasSize(calls);
        assertThat(artifacts.contents).hasSize(1);
    }

    @Test
    void a_rejected_plan_fails_the_mission_with_the_reviewers_reason() {
        InMemoryMissionRun run = run(Set.of(CheckpointType.PLAN_APPROVAL));
        run.decide("plan_approval", CheckpointDecision.Kind.REJECT, "wrong region");

        assertThatThrownBy(() -> executor.execute(run.newAttempt())).isInstanceOfSatisfying(MissionFailure.class, f -> {
            assertThat(f.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(f.getMessage()).contains("plan_approval").contains("reviewer@test").contains("wrong region");
        });
        assertThat(tools.calls).isEmpty();
    }

    @Test
    void modify_on_the_plan_adds_the_comment_as_research_and_guides_the_first_step() throws Exception {
        InMemoryMissionRun run = run(Set.of(CheckpointType.PLAN_APPROVAL));
        run.decide("plan_approval", CheckpointDecision.Kind.MODIFY, "include Japan PMDA expectations");

        executor.execute(run.newAttempt());

        MissionPlan revised = run.once("plan/revised", MissionPlan.class, () -> null);
        assertThat(revised.steps()).anySatisfy(s -> assertThat(s.description()).contains("Japan PMDA"));
        assertThat(run.events(RunEvent.Plan.class)).hasSize(2);
        assertThat(tools.calls.getFirst().input().get("query").toString()).endsWith("include Japan PMDA expectations");
        assertThat(tools.calls.get(1).input().get("query").toString()).doesNotContain("Japan");
    }

    @Test
    void modify_at_a_step_review_guides_the_next_step() throws Exception {
        InMemoryMissionRun run = run(Set.of(CheckpointType.STEP_REVIEW));
        assertThatThrownBy(() -> executor.execute(run.newAttempt())).isInstanceOf(MissionSuspended.class);
        assertThat(run.pending).containsOnlyKeys("step-1/review");

        run.decide("step-1/review", CheckpointDecision.Kind.MODIFY, "focus on fatal cases");
        assertThatThrownBy(() -> executor.execute(run.newAttempt())).isInstanceOf(MissionSuspended.class);

        assertThat(tools.calls).hasSize(2);
        assertThat(tools.calls.get(1).input().get("query").toString()).endsWith("focus on fatal cases");
        assertThat(run.pending).containsOnlyKeys("step-2/review");
    }

    @Test
    void honours_max_steps() throws Exception {
        InMemoryMissionRun run = new InMemoryMissionRun(MissionFixtures.mission(GOAL, 2, false, Set.of()));
        executor.execute(run.newAttempt());
        assertThat(run.events(RunEvent.StepStarted.class)).hasSize(2);
    }

    @Test
    void the_final_review_comes_before_the_report_is_saved_and_its_answers_apply() throws Exception {
        InMemoryMissionRun run = run(Set.of(CheckpointType.FINAL_REVIEW));
        assertThatThrownBy(() -> executor.execute(run.newAttempt())).isInstanceOf(MissionSuspended.class);
        assertThat(run.pending).containsOnlyKeys("final_review");
        assertThat(artifacts.contents).isEmpty();

        run.decide("final_review", CheckpointDecision.Kind.MODIFY, "add a line on follow-up reports");
        executor.execute(run.newAttempt());
        assertThat(artifacts.contents.getFirst()).contains("## Reviewer's comment\n\nadd a line on follow-up reports");

        InMemoryMissionRun rejected = run(Set.of(CheckpointType.FINAL_REVIEW));
        rejected.decide("final_review", CheckpointDecision.Kind.REJECT, "too thin");
        assertThatThrownBy(() -> executor.execute(rejected)).isInstanceOfSatisfying(MissionFailure.class, f ->
                assertThat(f.getMessage()).contains("final_review").contains("too thin"));
        assertThat(artifacts.contents).hasSize(1);
    }

    @Test
    void an_attempt_stopped_at_any_point_and_replayed_sends_every_event_once() throws Exception {
        assertEveryStopReplaysToTheSameEvents(Set.of(), null);
        // the plan_approval's modify re-plans (plan/revised): both plans' events, each once
        assertEveryStopReplaysToTheSameEvents(Set.of(CheckpointType.PLAN_APPROVAL), "include Japan PMDA expectations");
    }

    /**
     * Stops an attempt at each place the engine's lease fence can stop it (before a call runs, before
     * an event goes out), then runs the mission again: the events must be those of a run without a stop,
     * in the same order, none twice (a plan or a report announced inside its recorded call was sent
     * again by the replay).
     */
    private void assertEveryStopReplaysToTheSameEvents(Set<CheckpointType> types, String modify) throws Exception {
        InMemoryMissionRun clean = decided(run(types), modify);
        executor.execute(clean.newAttempt());
        List<String> expected = described(clean.events);
        assertThat(expected).contains("Plan 4", "Artifact", "StepStarted step-1", "StepCompleted step-1 completed");
        int fences = clean.fences();
        assertThat(fences).isGreaterThan(expected.size());
        for (int n = 0; n < fences; n++) {
            InMemoryMissionRun run = decided(run(types), modify);
            int at = n;
            assertThatThrownBy(() -> executor.execute(run.newAttempt().stopAt(at))).as("stop at %d", at)
                    .isInstanceOfSatisfying(MissionSuspended.class, s ->
                            assertThat(s.reason()).isEqualTo(MissionSuspended.Reason.LEASE_LOST));
            executor.execute(run.newAttempt());
            assertThat(described(run.events)).as("events after a stop at fence %d of %d", at, fences)
                    .isEqualTo(expected);
        }
    }

    private static InMemoryMissionRun decided(InMemoryMissionRun run, String modify) {
        if (modify != null) {
            run.decide("plan_approval", CheckpointDecision.Kind.MODIFY, modify);
        }
        return run;
    }

    /** Each event by its kind and what it is about (times and generated ids left out). */
    static List<String> described(List<RunEvent> events) {
        return events.stream().map(e -> e.getClass().getSimpleName() + switch (e) {
            case RunEvent.StepStarted s -> " " + s.stepId();
            case RunEvent.StepCompleted c -> " " + c.stepId() + " " + c.status();
            case RunEvent.StepProgress p -> " " + p.step() + " " + p.progress();
            case RunEvent.Reasoning r -> " " + r.step() + " " + r.status() + " " + r.content();
            case RunEvent.ToolCall t -> " " + t.id();
            case RunEvent.ToolResult t -> " " + t.id();
            case RunEvent.Plan p -> " " + p.steps().size();
            case RunEvent.Notification nt -> " " + nt.type();
            case RunEvent.Progress p -> " " + p.message();
            default -> "";
        }).toList();
    }

    static void assertCitationsResolveToUniqueSources(String report) {
        int split = report.lastIndexOf("## Sources");
        String body = report.substring(0, split);
        String sources = report.substring(split);
        Matcher entries = Pattern.compile("(?m)^- \\[(\\d+)] (.+)$").matcher(sources);
        List<String> lines = entries.results().map(m -> m.group(2)).toList();
        assertThat(lines).isNotEmpty().doesNotHaveDuplicates();
        Matcher cites = Pattern.compile("\\[(\\d+)]").matcher(body);
        cites.results().forEach(m -> assertThat(Integer.parseInt(m.group(1))).isBetween(1, lines.size()));
    }
}
