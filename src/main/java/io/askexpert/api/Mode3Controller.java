package io.askexpert.api;

import io.askexpert.auth.TenantContext;
import io.askexpert.missions.MissionMode;
import io.askexpert.missions.MissionRequest;
import io.askexpert.missions.MissionService;
import io.askexpert.missions.MissionViews;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Mode 3, manual autonomous (api.md §6.1): create a mission with a chosen expert, stream it (the
 * first stream starts it; later ones, on any instance, attach), decide its checkpoints, pause,
 * resume, cancel. The work is {@link MissionService}'s; this class reads bodies and writes answers.
 */
@RestController
@RequestMapping("/api/v1/expert/mode3")
class Mode3Controller {

    private final MissionService missions;
    private final MissionStreams streams;

    Mode3Controller(MissionService missions, MissionStreams streams) {
        this.missions = missions;
        this.streams = streams;
    }

    @PostMapping("/mission/create")
    ResponseEntity<MissionViews.Created> create(TenantContext tenant, @RequestBody MissionRequest body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(missions.create(tenant, MissionMode.MODE3, body.validated()));
    }

    @PostMapping("/stream")
    void stream(TenantContext tenant, @RequestBody MissionBodies.StreamBody body,
                @RequestHeader(value = "Last-Event-ID", required = false) @Nullable String lastEventId,
                HttpServletResponse response) {
        long after = MissionBodies.lastEventId(lastEventId);
        MissionViews.Stream run = missions.stream(tenant, body.required());
        streams.relay(run.tenantId(), run.runId(), after, response);
    }

    @PostMapping("/checkpoint/{checkpointId}/approve")
    MissionViews.Decided decide(TenantContext tenant, @PathVariable String checkpointId,
                                @RequestBody MissionBodies.DecisionBody body) {
        return missions.decide(tenant, checkpointId, body.validDecision(), body.comment(), body.option());
    }

    @PostMapping("/mission/{missionId}/pause")
    MissionViews.Control pause(TenantContext tenant, @PathVariable String missionId) {
        return missions.pause(tenant, missionId);
    }

    @PostMapping("/mission/{missionId}/resume")
    MissionViews.Control resume(TenantContext tenant, @PathVariable String missionId) {
        return missions.resume(tenant, missionId);
    }

    @PostMapping("/mission/{missionId}/cancel")
    MissionViews.Control cancel(TenantContext tenant, @PathVariable String missionId,
                                @RequestBody(required = false) MissionBodies.@Nullable CancelBody body) {
        return missions.cancel(tenant, missionId, body == null ? null : MissionBodies.validReason(body.reason()));
    }
}
