package io.askexpert.missions;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.askexpert.checkpoints.Checkpoint;
import io.askexpert.checkpoints.CheckpointStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * {@code team_status} of {@code GET /mode4/mission/{id}/status}, live on any instance: read from the
 * mission's journal (the plan, each delegation's start and its recorded result, the report) and its
 * pending checkpoints, never from a worker's memory.
 *
 * <p>Member states: {@code assigned} (on the team, no sub-task started), {@code working},
 * {@code waiting_for_human} (one of its calls waits at a checkpoint), {@code completed},
 * {@code failed}, {@code paused}, {@code stopped} (the mission ended before it finished),
 * {@code unavailable} (not usable by the tenant). The lead is also {@code planning},
 * {@code coordinating} (its members work) and {@code synthesising} (writing the report).
 */
final class TeamStatus {

    /** One member's line. */
    record MemberStatus(@JsonProperty("agent_id") String agentId, String name, String role, String status,
                        @JsonProperty("current_task") @Nullable String currentTask) {
    }

    private final MissionJournal journal;
    private final CheckpointStore checkpoints;

    TeamStatus(MissionJournal journal, CheckpointStore checkpoints) {
        this.journal = journal;
        this.checkpoints = checkpoints;
    }

    Optional<Team> team(UUID missionId) {
        return journal.find(missionId, Team.KEY).map(json -> MissionJson.read(json, Team.class));
    }

    List<MemberStatus> of(MissionRecord r, Team team) {
        UUID id = r.mission().id();
        MissionStatus mission = r.status();
        TeamPlan plan = journal.find(id, "plan").map(json -> MissionJson.read(json, TeamPlan.class)).orElse(null);
        List<Checkpoint> pending = checkpoints.pending(id);
        boolean reported = journal.find(id, "report").isPresent();
        int delivered = 0;
        List<MemberStatus> out = new ArrayList<>();
        for (Team.Member m : team.members()) {
            if (!m.available()) {
                out.add(new MemberStatus(m.id(), m.name(), m.role(), "unavailable", null));
                continue;
            }
            TeamPlan.Task task = plan == null ? null : plan.tasks().stream()
                    .filter(t -> t.memberId().equals(m.id())).findFirst().orElse(null);
            String status = "assigned";
            String current = null;
            if (task != null) {
                Optional<String> result = journal.find(id, task.stepId() + "/member");
                if (result.isPresent()) {
                    delivered++;
                    status = MissionJson.read(result.get(), MemberReport.class).failed() ? "failed" : "completed";
                } else if (pending.stream().anyMatch(c -> c.key().startsWith(task.stepId() + "/"))) {
                    status = "waiting_for_human";
                    current = task.task();
                } else if (journal.find(id, task.stepId() + "/started").isPresent()) {
                    status = live(mission, "working");
                    current = task.task();
                }
            }
            out.add(new MemberStatus(m.id(), m.name(), m.role(), status, current));
        }
        if (!out.isEmpty() && team.lead().available()) {
            MemberStatus lead = out.getFirst();
            boolean leadBusy = lead.status().equals("working") || lead.status().equals("waiting_for_human");
            if (!leadBusy) {
                String phase;
                String task;
                if (mission == MissionStatus.COMPLETED || reported) {
                    phase = "completed";
                    task = null;
                } else if (plan == null) {
                    phase = mission == MissionStatus.RUNNING ? "planning" : live(mission, "assigned");
                    task = "Planning the team's work";
                } else if (delivered == plan.tasks().size()) {
                    phase = live(mission, "synthesising");
                    task = "Writing the report from the team's findings";
                } else {
                    phase = live(mission, "coordinating");
                    task = "Coordinating " + (plan.tasks().size() - delivered) + " sub-tasks in progress";
                }
                out.set(0, new MemberStatus(lead.agentId(), lead.name(), lead.role(), phase, task));
            }
        }
        return out;
    }

    /** A state that needs the mission to be moving, as the mission's own state makes it. */
    private static String live(MissionStatus mission, String moving) {
        return switch (mission) {
            case RUNNING, QUEUED -> moving;
            case CREATED -> "assigned";
            case WAITING_FOR_HUMAN -> "waiting";
            case PAUSED -> "paused";
            case COMPLETED -> "completed";
            case FAILED, CANCELLED -> "stopped";
        };
    }
}
