package io.askexpert.api;

import io.askexpert.auth.TenantContext;
import io.askexpert.errors.AskExpertException;
import io.askexpert.missions.MissionMode;
import io.askexpert.missions.MissionService;
import io.askexpert.missions.MissionViews;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shared mission control (api.md §6.3) for modes 3 and 4: pause, resume, cancel by id in the body,
 * status, checkpoint decisions, history and the artifact download (Markdown).
 */
@RestController
@RequestMapping("/api/v1/expert")
class MissionRoutes {

    private static final MediaType MARKDOWN = new MediaType("text", "markdown", StandardCharsets.UTF_8);

    private final MissionService missions;

    MissionRoutes(MissionService missions) {
        this.missions = missions;
    }

    @PostMapping("/mission/pause")
    MissionViews.Control pause(TenantContext tenant, @RequestBody MissionBodies.ControlBody body) {
        return missions.pause(tenant, body.required());
    }

    @PostMapping("/mission/resume")
    MissionViews.Control resume(TenantContext tenant, @RequestBody MissionBodies.ControlBody body) {
        return missions.resume(tenant, body.required());
    }

    @PostMapping("/mission/cancel")
    MissionViews.Control cancel(TenantContext tenant, @RequestBody MissionBodies.ControlBody body) {
        return missions.cancel(tenant, body.required(), body.reason());
    }

    @GetMapping("/mission/status/{missionId}")
    MissionViews.Status status(TenantContext tenant, @PathVariable String missionId) {
        return missions.status(tenant, missionId);
    }

    @PostMapping("/mission/checkpoint/{checkpointId}")
    MissionViews.Decided decide(TenantContext tenant, @PathVariable String checkpointId,
                                @RequestBody MissionBodies.DecisionBody body) {
        return missions.decide(tenant, checkpointId, body.validDecision(), body.comment(), body.option());
    }

    @GetMapping("/mission/history")
    MissionViews.History history(TenantContext tenant, @RequestParam(required = false) @Nullable String limit,
                                 @RequestParam(required = false) @Nullable String offset,
                                 @RequestParam(required = false) @Nullable String status,
                                 @RequestParam(required = false) @Nullable String mode) {
        MissionMode m = null;
        if (mode != null && !mode.isBlank()) {
            m = switch (mode.strip()) {
                case "3" -> MissionMode.MODE3;
                case "4" -> MissionMode.MODE4;
                default -> throw AskExpertException.invalid("mode", "mode must be 3 or 4");
            };
        }
        return missions.history(tenant, m, status, integer("limit", limit, 20), integer("offset", offset, 0));
    }

    @GetMapping("/missions/{missionId}/artifacts/{artifactId}")
    ResponseEntity<String> artifact(TenantContext tenant, @PathVariable String missionId, @PathVariable String artifactId) {
        MissionViews.Download d = missions.artifact(tenant, missionId, artifactId);
        String file = d.title().replaceAll("[^A-Za-z0-9._ -]", "_").strip();
        return ResponseEntity.ok()
                .contentType(MARKDOWN)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename((file.isEmpty() ? "artifact" : file) + ".md", StandardCharsets.UTF_8).build().toString())
                .body(d.content());
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
