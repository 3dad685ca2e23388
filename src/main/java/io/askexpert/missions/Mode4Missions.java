package io.askexpert.missions;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.askexpert.auth.TenantContext;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.queue.MissionQueue;
import io.askexpert.queue.QueuePriority;
import io.askexpert.runs.RunEvent;
import io.askexpert.runs.RunHandle;
import io.askexpert.runs.RunRegistry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Entry point of mode 4 for the HTTP routes (api.md §6.2): create (the team is assembled and
 * recorded with the mission), preflight, the first stream (preflight, {@code team_assembly}, then
 * queued at its priority; a failed preflight fails the mission with the check's advice), status
 * with {@code team_status}, history. Pause, resume, cancel, decisions and artifacts are the shared
 * mission control of {@link MissionService}.
 */
public class Mode4Missions {

    /** The answer of {@code POST /mode4/mission/create}. */
    public record Created(@JsonProperty("mission_id") String missionId, String status, String goal, @Nullable String title,
                          MissionViews.AgentRef agent, List<RunEvent.TeamAssembly.Member> team, String priority,
                          @JsonProperty("created_at") Instant createdAt) {
    }

    /** The answer of {@code GET /mode4/mission/{id}/status}: the shared status plus the team's. */
    public record Status(@JsonUnwrapped MissionViews.Status mission,
                         @JsonProperty("team_status") List<TeamStatus.MemberStatus> teamStatus,
                         @JsonProperty("artifacts_count") int artifactsCount,
                         @JsonProperty("estimated_completion") @Nullable Instant estimatedCompletion, String priority) {
    }

    private final MissionService missions;
    private final MissionStore store;
    private final MissionJournal journal;
    private final MissionBudgets budgets;
    private final TeamAssembly assembly;
    private final Preflight preflight;
    private final TeamStatus teamStatus;
    private final RunRegistry runs;
    private final MissionQueue queue;
    private final AskExpertSettings settings;
    private final MissionNotifier notifier;

    Mode4Missions(MissionService missions, MissionStore store, MissionJournal journal, MissionBudgets budgets,
                  TeamAssembly assembly, Preflight preflight, TeamStatus teamStatus, RunRegistry runs, MissionQueue queue,
                  AskExpertSettings settings, MissionNotifier notifier) {
        this.missions = missions;
        this.notifier = notifier;
        this.store = store;
        this.journal = journal;
        this.budgets = budgets;
        this.assembly = assembly;
        this.preflight = preflight;
        this.teamStatus = teamStatus;
        this.runs = runs;
        this.queue = queue;
        this.settings = settings;
    }

    /** Assembles the team (fusion), creates the mission led by its lead and records the team with it. */
    public Created create(TenantContext caller, Mode4Request.Valid request) {
        Team team = assembly.assemble(caller.tenantId(), request);
        MissionViews.Created created = missions.create(caller, MissionMode.MODE4, new MissionRequest.Valid(request.goal(),
                team.lead().id(), request.title(), request.options(), request.context()));
        journal.record(UUID.fromString(created.missionId()), Team.KEY, "team", MissionJson.write(team));
        return new Created(created.missionId(), created.status(), created.goal(), request.title(), created.agent(),
                team.event().team(), request.options().priority().wireName(), created.createdAt());
    }

    public PreflightReport preflight(TenantContext caller, String missionId) {
        MissionRecord r = visible(caller, missionId);
        return preflight.check(r.mission(), team(r)).report();
    }

    /**
     * The run a stream reads. The first stream checks the mission (the {@code preflight} event),
     * announces the team ({@code team_assembly}) and queues it at its priority, or fails it when a
     * check failed; later streams, on any instance, attach to the same run.
     */
    public MissionViews.Stream stream(TenantContext caller, String missionId) {
        MissionRecord r = visible(caller, missionId);
        while (r.mission().runId() == null) {
            Mission m = r.mission();
            if (r.status() != MissionStatus.CREATED) {
                throw new AskExpertException(ErrorCode.MISSION_STATE_CONFLICT, "the mission is " + r.status().wireName()
                        + " and never ran: there is nothing to stream", Map.of("status", r.status().wireName()));
            }
            Team team = team(r);
            Preflight.Recorded checked = preflight.check(m, team);
            String runId = "run_" + UUID.randomUUID().toString().replace("-", "");
            if (store.startRun(m.id(), r.version(), runId)) {
                start(m, runId, r.version() + 1, team, checked);
                return new MissionViews.Stream(runId, m.tenantId());
            }
            r = store.find(m.id()).orElseThrow(); // someone else started it: attach to theirs
        }
        return new MissionViews.Stream(r.mission().runId(), r.mission().tenantId());
    }

    private void start(Mission m, String runId, long version, Team team, Preflight.Recorded checked) {
        RunHandle handle = runs.attach(runId, MissionRunner.runStart(m, settings));
        journal.record(m.id(), "preflight", "preflight", MissionJson.write(checked));
        PreflightReport report = checked.report();
        handle.emit(new RunEvent.Preflight(report.status(), List.copyOf(report.checks())));
        if (report.preflightPassed()) {
            handle.emit(team.event());
            runs.detach(handle);
            queue.push(m.id(), priority(m));
            return;
        }
        PreflightReport.Check failed = report.firstFailure();
        ErrorCode code = switch (failed.id()) {
            case "budget" -> ErrorCode.BUDGET_EXCEEDED;
            case "permissions" -> ErrorCode.FORBIDDEN;
            default -> ErrorCode.VALIDATION_ERROR;
        };
        String message = "Preflight failed (" + failed.id() + "): " + failed.detail();
        store.fail(m.id(), version, code.name(), message, 0);
        budgets.releaseOpen(m.id());
        notifier.ended(m, MissionStatus.FAILED, message);
        handle.finish(new RunEvent.Failed(code.name(), message, false, null));
    }

    static QueuePriority priority(Mission m) {
        return switch (m.options().priority()) {
            case LOW -> QueuePriority.LOW;
            case NORMAL -> QueuePriority.NORMAL;
            case HIGH -> QueuePriority.HIGH;
        };
    }

    public Status status(TenantContext caller, String missionId) {
        MissionRecord r = visible(caller, missionId);
        MissionViews.Status base = missions.status(caller, missionId);
        List<TeamStatus.MemberStatus> members = teamStatus.of(r, team(r));
        return new Status(base, members, base.artifacts().size(), estimatedCompletion(r),
                r.mission().options().priority().wireName());
    }

    /** While it is moving: when it started plus the recorded preflight's estimate; otherwise none. */
    private @Nullable Instant estimatedCompletion(MissionRecord r) {
        if (r.status().terminal() || r.status() == MissionStatus.CREATED) {
            return null;
        }
        return journal.find(r.mission().id(), "preflight").map(json -> MissionJson.read(json, Preflight.Recorded.class))
                .map(p -> Instant.now().plusMillis(Math.max(0, (long) (p.report().estimatedDurationMinutes() * 60_000)
                        - r.runningMs())))
                .orElse(null);
    }

    public MissionViews.History history(TenantContext caller, @Nullable String status, int limit, int offset) {
        return missions.history(caller, MissionMode.MODE4, status, limit, offset);
    }

    private MissionRecord visible(TenantContext caller, String missionId) {
        MissionRecord r = missions.visible(caller, missionId);
        if (r.mission().mode() != MissionMode.MODE4) {
            throw AskExpertException.notFound(ErrorCode.MISSION_NOT_FOUND, "mode 4 mission", missionId);
        }
        return r;
    }

    private Team team(MissionRecord r) {
        return teamStatus.team(r.mission().id()).orElseThrow(() -> new AskExpertException(ErrorCode.INTERNAL_ERROR,
                "the mission has no team recorded", Map.of("mission_id", r.mission().id().toString())));
    }
}
