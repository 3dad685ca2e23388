package io.askexpert.missions;

import io.askexpert.agents.Agent;
import io.askexpert.agents.AgentCatalog;
import io.askexpert.auth.TenantContext;
import io.askexpert.budget.MissionBudget;
import io.askexpert.checkpoints.Checkpoint;
import io.askexpert.checkpoints.CheckpointStore;
import io.askexpert.checkpoints.DecideOutcome;
import io.askexpert.checkpoints.Decision;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Entry point of missions for the HTTP routes (api.md §6): create, start or attach a stream,
 * pause, resume, cancel, decide a checkpoint, status, history, artifacts. A mission is visible to
 * its creator and to its tenant's admins; to anyone else it does not exist ({@code MISSION_NOT_FOUND}).
 * Every state change goes through {@link MissionControl}'s compare-and-set.
 */
public class MissionService {

    private final MissionStore store;
    private final MissionControl control;
    private final CheckpointStore checkpoints;
    private final MissionArtifacts artifacts;
    private final MissionBudgets budgets;
    private final AgentCatalog agents;
    private final boolean offline;

    MissionService(MissionStore store, MissionControl control, CheckpointStore checkpoints, MissionArtifacts artifacts,
                   MissionBudgets budgets, AgentCatalog agents, boolean offline) {
        this.store = store;
        this.control = control;
        this.checkpoints = checkpoints;
        this.artifacts = artifacts;
        this.budgets = budgets;
        this.agents = agents;
        this.offline = offline;
    }

    /** Creates a mode 3 mission from a validated body; {@code AGENT_NOT_FOUND} for an unknown or inactive agent. */
    public MissionViews.Created create(TenantContext caller, MissionMode mode, MissionRequest.Valid request) {
        Agent agent = agents.requireActive(caller.tenantId(), request.agentId());
        Instant now = Instant.now();
        Mission m = new Mission(UUID.randomUUID(), caller.tenantId(), caller.userId(), mode, MissionStatus.CREATED,
                request.goal(), request.title(), agent.id(), request.options(), request.context(), null, 0, now, now);
        store.insert(m);
        budgets.open(m.tenantId(), m.id(), request.options().budgetLimitUsd());
        return new MissionViews.Created(m.id().toString(), m.status().wireName(), m.goal(), agentRef(m),
                m.createdAt());
    }

    /**
     * The run a stream of the mission reads: opened (and the mission queued) by the first stream,
     * the existing one afterwards, from any instance.
     */
    public MissionViews.Stream stream(TenantContext caller, String missionId) {
        MissionRecord m = visible(caller, missionId);
        String runId = m.mission().runId();
        if (runId == null) {
            if (m.status() != MissionStatus.CREATED) {
                throw new AskExpertException(ErrorCode.MISSION_STATE_CONFLICT, "the mission is " + m.status().wireName()
                        + " and never ran: there is nothing to stream", Map.of("status", m.status().wireName()));
            }
            runId = control.start(m);
        }
        return new MissionViews.Stream(runId, m.mission().tenantId());
    }

    public MissionViews.Control pause(TenantContext caller, String missionId) {
        control.pause(visible(caller, missionId).mission().id());
        return controlView(missionId);
    }

    public MissionViews.Control resume(TenantContext caller, String missionId) {
        control.resume(visible(caller, missionId).mission().id());
        return controlView(missionId);
    }

    public MissionViews.Control cancel(TenantContext caller, String missionId, @Nullable String reason) {
        control.cancel(visible(caller, missionId).mission().id(), reason == null || reason.isBlank()
                ? "cancelled_by_user" : reason);
        return controlView(missionId);
    }

    private MissionViews.Control controlView(String missionId) {
        Mission m = store.find(UUID.fromString(missionId)).orElseThrow().mission();
        return new MissionViews.Control(m.id().toString(), m.status().wireName(), m.mode().number(), m.runId());
    }

    /**
     * Decides a checkpoint of a mission the caller may see: the same decision again answers as
     * before; a different one, or one after the timeout applied, is {@code CHECKPOINT_ALREADY_RESOLVED}.
     */
    public MissionViews.Decided decide(TenantContext caller, String checkpointId, String decision, @Nullable String comment,
                                       @Nullable String option) {
        Checkpoint c = parse(checkpointId).flatMap(checkpoints::find)
                .filter(cp -> store.find(cp.missionId()).filter(m -> visibleTo(m, caller)).isPresent())
                .orElseThrow(() -> AskExpertException.notFound(ErrorCode.CHECKPOINT_NOT_FOUND, "checkpoint", checkpointId));
        if (option != null && !c.options().isEmpty() && !c.options().contains(option)) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "option must be one of the checkpoint's options",
                    Map.of("field", "option", "allowed", c.options()));
        }
        DecideOutcome outcome = control.decide(c, new Decision(decision, comment, option, caller.userId()));
        if (outcome instanceof DecideOutcome.AlreadyResolved r) {
            throw new AskExpertException(ErrorCode.CHECKPOINT_ALREADY_RESOLVED, "the checkpoint was already resolved ("
                    + r.checkpoint().status().wireName() + ")", Map.of("checkpoint_id", checkpointId,
                    "status", r.checkpoint().status().wireName()));
        }
        Checkpoint d = outcome.checkpoint();
        MissionStatus now = store.find(d.missionId()).map(MissionRecord::status).orElse(MissionStatus.CANCELLED);
        return new MissionViews.Decided(d.id().toString(), d.missionId().toString(), d.status().wireName(), d.decision(),
                d.comment(), d.option(), d.decidedBy(), d.decidedAt(), now.wireName());
    }

    public MissionViews.Status status(TenantContext caller, String missionId) {
        MissionRecord r = visible(caller, missionId);
        Mission m = r.mission();
        MissionStore.Progress p = store.progress(m.id()).orElse(new MissionStore.Progress(null, null, 0));
        MissionViews.PlanView plan = null;
        if (p.planJson() != null) {
            Map<String, @Nullable Object> raw = MissionJson.map(p.planJson());
            plan = new MissionViews.PlanView(raw.get("steps") instanceof List<?> l ? List.copyOf(l.stream()
                    .map(o -> (Object) o).toList()) : List.of(),
                    raw.get("plan_confidence") instanceof Number n ? n.doubleValue() : 0);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> step = r.status() == MissionStatus.RUNNING || r.status() == MissionStatus.WAITING_FOR_HUMAN
                || r.status() == MissionStatus.PAUSED
                ? p.currentStepJson() == null ? null : (Map<String, Object>) (Map<?, ?>) MissionJson.map(p.currentStepJson())
                : null;
        // A checkpoint left undecided when its mission ended can no longer be decided: not pending.
        List<MissionViews.PendingCheckpoint> pending = r.status().terminal() ? List.of()
                : checkpoints.pending(m.id()).stream().map(MissionViews.PendingCheckpoint::of).toList();
        int progress = r.status() == MissionStatus.COMPLETED ? 100 : p.progress();
        return new MissionViews.Status(m.id().toString(), m.mode().number(), m.status().wireName(), m.goal(), m.title(),
                agentRef(m), progress, m.runId(), plan, step, pending.size(), pending, budgetView(m),
                artifacts.list(m.id()).stream().map(a -> new MissionViews.ArtifactView(a.id().toString(), a.type(),
                        a.title(), a.format(), a.downloadUrl())).toList(), m.createdAt(), m.updatedAt(),
                r.errorCode() == null ? null : new MissionViews.ErrorView(r.errorCode(),
                        r.errorMessage() == null ? "" : r.errorMessage()), offline);
    }

    /** The caller's missions (a tenant admin's: the tenant's), newest first. */
    public MissionViews.History history(TenantContext caller, @Nullable MissionMode mode, @Nullable String status,
                                        int limit, int offset) {
        if (limit < 1 || limit > 100) {
            throw AskExpertException.invalid("limit", "limit must be 1 to 100");
        }
        if (offset < 0) {
            throw AskExpertException.invalid("offset", "offset must not be negative");
        }
        MissionStatus s = null;
        if (status != null && !status.isBlank()) {
            try {
                s = MissionStatus.fromWire(status.strip());
            } catch (IllegalArgumentException e) {
                throw AskExpertException.invalid("status", "status must be one of created, queued, running, "
                        + "waiting_for_human, paused, completed, failed, cancelled");
            }
        }
        String user = caller.admin() ? null : caller.userId();
        List<MissionViews.HistoryItem> items = store.history(caller.tenantId(), user, mode, s, limit, offset).stream()
                .map(r -> {
                    Mission m = r.mission();
                    return new MissionViews.HistoryItem(m.id().toString(), m.mode().number(), m.status().wireName(),
                            m.goal(), m.title(), agentRef(m), m.createdAt(), m.updatedAt(), budgetView(m).spentUsd());
                }).toList();
        return new MissionViews.History(items, store.count(caller.tenantId(), user, mode, s), limit, offset);
    }

    public MissionViews.Download artifact(TenantContext caller, String missionId, String artifactId) {
        MissionRecord m = visible(caller, missionId);
        return parse(artifactId).flatMap(id -> artifacts.find(m.mission().id(), id))
                .map(s -> new MissionViews.Download(s.artifact().title(), s.artifact().format(), s.content()))
                .orElseThrow(() -> AskExpertException.notFound(ErrorCode.NOT_FOUND, "artifact", artifactId));
    }

    /** The mission if the caller may see it; otherwise it does not exist for them. */
    MissionRecord visible(TenantContext caller, String missionId) {
        return parse(missionId).flatMap(store::find).filter(m -> visibleTo(m, caller))
                .orElseThrow(() -> AskExpertException.notFound(ErrorCode.MISSION_NOT_FOUND, "mission", missionId));
    }

    private static boolean visibleTo(MissionRecord r, TenantContext caller) {
        Mission m = r.mission();
        return m.tenantId().equals(caller.tenantId()) && (m.userId().equals(caller.userId()) || caller.admin());
    }

    private static Optional<UUID> parse(String id) {
        try {
            return id.length() == 36 ? Optional.of(UUID.fromString(id)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private MissionViews.AgentRef agentRef(Mission m) {
        String name = agents.find(m.tenantId(), m.agentId()).map(Agent::name).orElse(m.agentId());
        return new MissionViews.AgentRef(m.agentId(), name);
    }

    private MissionViews.Budget budgetView(Mission m) {
        try {
            MissionBudget b = budgets.budget(m.id());
            return new MissionViews.Budget(b.limitUsd(), b.spentUsd(), b.reservedUsd());
        } catch (RuntimeException e) {
            return new MissionViews.Budget(m.options().budgetLimitUsd(), BigDecimal.ZERO, BigDecimal.ZERO);
        }
    }
}
