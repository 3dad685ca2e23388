package io.askexpert.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.askexpert.auth.TenantContext;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.sessions.Message;
import io.askexpert.sessions.Session;
import io.askexpert.sessions.SessionStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Sessions (api.md §5.3): list, one with its messages, rename, delete; always the caller's own. */
@RestController
@RequestMapping("/api/v1/expert/sessions")
class SessionController {

    private final SessionStore sessions;

    SessionController(SessionStore sessions) {
        this.sessions = sessions;
    }

    @GetMapping
    SessionList list(TenantContext tenant, @RequestParam(required = false) @Nullable String limit,
                     @RequestParam(required = false) @Nullable String offset) {
        int l = intParam("limit", limit, 20, 1, 100);
        int o = intParam("offset", offset, 0, 0, Integer.MAX_VALUE);
        return new SessionList(sessions.list(tenant.tenantId(), tenant.userId(), l, o).stream().map(SessionView::of).toList(),
                sessions.count(tenant.tenantId(), tenant.userId()));
    }

    @GetMapping("/{sessionId}")
    SessionDetail get(TenantContext tenant, @PathVariable String sessionId) {
        Session s = own(tenant, sessionId);
        return new SessionDetail(s.sessionId(), s.title(), s.mode().number(), s.agentId(), s.createdAt(), s.updatedAt(),
                s.messageCount(), s.totalCostUsd(), sessions.messages(tenant.tenantId(), tenant.userId(), s.sessionId()).stream().map(MessageView::of).toList());
    }

    @PatchMapping("/{sessionId}")
    SessionView rename(TenantContext tenant, @PathVariable String sessionId, @RequestBody TitleChange change) {
        String title = change.title() == null ? "" : change.title().replaceAll("\\s+", " ").strip();
        if (title.isEmpty() || title.length() > 200) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "title must be 1 to 200 characters",
                    Map.of("field", "title", "min_length", 1, "max_length", 200));
        }
        if (!sessions.rename(tenant.tenantId(), tenant.userId(), sessionId, title)) {
            throw AskExpertException.notFound(ErrorCode.SESSION_NOT_FOUND, "session", sessionId);
        }
        return SessionView.of(own(tenant, sessionId));
    }

    @DeleteMapping("/{sessionId}")
    ResponseEntity<Void> delete(TenantContext tenant, @PathVariable String sessionId) {
        if (!sessions.delete(tenant.tenantId(), tenant.userId(), sessionId)) {
            throw AskExpertException.notFound(ErrorCode.SESSION_NOT_FOUND, "session", sessionId);
        }
        return ResponseEntity.noContent().build();
    }

    private Session own(TenantContext tenant, String sessionId) {
        return sessions.find(tenant.tenantId(), tenant.userId(), sessionId)
                .orElseThrow(() -> AskExpertException.notFound(ErrorCode.SESSION_NOT_FOUND, "session", sessionId));
    }

    private static int intParam(String name, @Nullable String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new AskExpertException(ErrorCode.VALIDATION_ERROR, name + " must be an integer from " + min + " to " + max,
                Map.of("field", name, "min", min, "max", max));
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record TitleChange(@Nullable String title) {
    }

    record SessionList(List<SessionView> sessions, long total) {
    }

    record SessionView(@JsonProperty("session_id") String sessionId, String title, int mode,
                       @JsonProperty("agent_id") @Nullable String agentId, @JsonProperty("created_at") Instant createdAt,
                       @JsonProperty("updated_at") Instant updatedAt, @JsonProperty("message_count") int messageCount,
                       @JsonProperty("total_cost_usd") BigDecimal totalCostUsd) {
        static SessionView of(Session s) {
            return new SessionView(s.sessionId(), s.title(), s.mode().number(), s.agentId(), s.createdAt(), s.updatedAt(),
                    s.messageCount(), s.totalCostUsd());
        }
    }

    record SessionDetail(@JsonProperty("session_id") String sessionId, String title, int mode,
                         @JsonProperty("agent_id") @Nullable String agentId, @JsonProperty("created_at") Instant createdAt,
                         @JsonProperty("updated_at") Instant updatedAt, @JsonProperty("message_count") int messageCount,
                         @JsonProperty("total_cost_usd") BigDecimal totalCostUsd, List<MessageView> messages) {
    }

    record MessageView(@JsonProperty("message_id") String messageId, String role, String content,
                       List<Map<String, Object>> citations, BigDecimal cost, @JsonProperty("created_at") Instant createdAt) {
        static MessageView of(Message m) {
            return new MessageView(m.messageId(), m.role(), m.content(), m.citations(), m.costUsd(), m.createdAt());
        }
    }
}
