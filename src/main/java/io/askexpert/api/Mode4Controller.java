package io.askexpert.api;

import io.askexpert.auth.TenantContext;
import io.askexpert.errors.AskExpertException;
import io.askexpert.missions.Mode4Missions;
import io.askexpert.missions.Mode4Request;
import io.askexpert.missions.MissionViews;
import io.askexpert.missions.PreflightReport;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Mode 4, automatic autonomous (api.md §6.2): create a mission whose team fusion assembles, check it
 * (preflight), stream it (the first stream checks, announces the team and queues it at its
 * priority), its status with the team's, its history. {@link Mode4Gate} answers 403 on all of these
 * when {@code FF_MODE4_ENABLED=false}. Control and decisions are the shared routes of §6.3.
 */
@RestController
@RequestMapping("/api/v1/expert/mode4")
class Mode4Controller {

    private final Mode4Missions missions;
    private final MissionStreams streams;

    Mode4Controller(Mode4Missions missions, MissionStreams streams) {
        this.missions = missions;
        this.streams = streams;
    }

    @PostMapping("/mission/create")
    ResponseEntity<Mode4Missions.Created> create(TenantContext tenant, @RequestBody Mode4Request body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(missions.create(tenant, body.validated()));
    }

    @PostMapping("/mission/{missionId}/preflight")
    PreflightReport preflight(TenantContext tenant, @PathVariable String missionId) {
        return missions.preflight(tenant, missionId);
    }

    @PostMapping("/stream")
    void stream(TenantContext tenant, @RequestBody MissionBodies.StreamBody body,
                @RequestHeader(value = "Last-Event-ID", required = false) @Nullable String lastEventId,
                HttpServletResponse response) {
        long after = MissionBodies.lastEventId(lastEventId);
        MissionViews.Stream run = missions.stream(tenant, body.required());
        streams.relay(run.tenantId(), run.runId(), after, response);
    }

    @GetMapping("/mission/{missionId}/status")
    Mode4Missions.Status status(TenantContext tenant, @PathVariable String missionId) {
        return missions.status(tenant, missionId);
    }

    @GetMapping("/missions/history")
    MissionViews.History history(TenantContext tenant, @RequestParam(required = false) @Nullable String limit,
                                 @RequestParam(required = false) @Nullable String offset,
                                 @RequestParam(required = false) @Nullable String status) {
        return missions.history(tenant, status, integer("limit", limit, 20), integer("offset", offset, 0));
    }

    private static int integer(String field, @Nullable String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw AskExpertException.invalid(field, field + " must be a whole number");
        }
    }
}
