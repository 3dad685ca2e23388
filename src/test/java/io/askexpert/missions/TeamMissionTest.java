package io.askexpert.missions;

import static io.askexpert.missions.MissionFixtures.passage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.agents.Agent;
import io.askexpert.runs.RunEvent;
import io.askexpert.tools.ToolOutput;
import io.askexpert.tools.ToolResult;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A mode 4 mission offline in memory: its members in parallel, each announced once whatever the stops. */
class TeamMissionTest {

    private static final String GOAL = "Expedited safety reporting in the EU and the US";
    private static final List<String> MEMBERS = List.of("lead", "eu", "us");

    private final MissionFixtures.FakeTools tools = new MissionFixtures.FakeTools().with(
            MissionFixtures.spec(ToolRunner.CONSULT_EXPERT, false, false), inv -> new ToolResult.Succeeded(
                    ToolRunner.CONSULT_EXPERT, new ToolOutput(Map.of("expert", String.valueOf(inv.input().get("expert")),
                    "answer", "Fatal cases within seven days [1]."), List.of(passage("ctr", "ctr-1", 1,
                    "EU CTR Article 42", "Fatal SUSARs within seven days."))), 2));
    private final MissionFixtures.ListArtifacts artifacts = new MissionFixtures.ListArtifacts();
    private final TeamMissionExecutor executor = new TeamMissionExecutor(
            MissionFixtures.directory(MEMBERS.stream().map(MissionFixtures::agent).toArray(Agent[]::new)),
            new TeamPlanner(null), new MemberWork(null, new HumanGate(true), (tenant, member) -> tools),
            new TeamReport(null, artifacts), new TeamNotifications(null), () -> true);

    @Test
    void a_team_stopped_at_any_point_and_replayed_announces_its_plan_members_and_report_once() throws Exception {
        InMemoryMissionRun clean = run();
        executor.execute(clean.newAttempt());
        List<String> expected = sorted(clean.events);
        assertThat(expected).containsOnlyOnce("Plan 3", "Artifact", "Notification mission_completed")
                .contains("StepStarted step-1", "StepCompleted step-3 completed");
        int fences = clean.fences();
        for (int n = 0; n < fences; n++) {
            InMemoryMissionRun run = run();
            int at = n;
            assertThatThrownBy(() -> executor.execute(run.newAttempt().stopAt(at))).as("stop at %d", at)
                    .isInstanceOf(MissionSuspended.class);
            executor.execute(run.newAttempt());
            // the members' order across threads differs from run to run; what was sent must not
            assertThat(sorted(run.events)).as("events after a stop at fence %d of %d", at, fences).isEqualTo(expected);
        }
    }

    private static InMemoryMissionRun run() {
        Mission base = MissionFixtures.mission(GOAL, 5, false, Set.of());
        Mission m = new Mission(base.id(), base.tenantId(), base.userId(), MissionMode.MODE4, base.status(), GOAL, null,
                "lead", new MissionOptions(5, new BigDecimal("5.00"), false, Set.of(), false, 3,
                MissionOptions.Priority.NORMAL, true, Duration.ofMinutes(10)), Map.of(), "run-1", 1, base.createdAt(),
                base.updatedAt());
        InMemoryMissionRun run = new InMemoryMissionRun(m);
        List<Team.Member> seats = MEMBERS.stream().map(slug -> new Team.Member("id-" + slug, slug, "Expert " + slug,
                slug.equals("lead") ? "lead" : "member", 80, 3, "pharmacovigilance", "requested", true, Map.of())).toList();
        run.journal.put(Team.KEY, MissionJson.write(new Team(seats, 5, false, null)));
        return run;
    }

    /** The events in a stable order, each member's progress without its percentage (it counts who finished first). */
    private static List<String> sorted(List<RunEvent> events) {
        return OfflineMissionTest.described(events).stream().map(e -> e.replaceAll("^(StepProgress \\d+) \\d+$", "$1"))
                .sorted().toList();
    }
}
