package io.askexpert.api;

import io.askexpert.agents.Agent;
import io.askexpert.agents.AgentCatalog;
import io.askexpert.agents.AgentPage;
import io.askexpert.agents.AgentQuery;
import io.askexpert.agents.AgentStatus;
import io.askexpert.agents.ImportReport;
import io.askexpert.auth.TenantContext;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * api.md §7 catalogue routes. Writes need the admin role and land in the caller's tenant (private
 * agents); the public catalogue is written with the {@code agents import} command. A batch answers
 * 200 when every record was written and 207 Multi-Status when any was rejected.
 */
@RestController
@RequestMapping("/api/v1/expert/agents")
class AgentController {

    static final int MULTI_STATUS = 207;
    static final int MAX_BATCH = 1000;

    private final AgentCatalog catalog;

    AgentController(AgentCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping
    AgentJson.Listing list(TenantContext tenant, @RequestParam(required = false) @Nullable String level,
                           @RequestParam(required = false) @Nullable String domain,
                           @RequestParam(required = false) @Nullable String q,
                           @RequestParam(required = false) @Nullable String status,
                           @RequestParam(required = false) @Nullable String limit,
                           @RequestParam(required = false) @Nullable String offset) {
        int pageSize = integer("limit", limit, 50, 1, AgentQuery.MAX_LIMIT);
        int skip = integer("offset", offset, 0, 0, Integer.MAX_VALUE);
        AgentQuery query = new AgentQuery(blankToNull(level) == null ? null : integer("level", level, 0, 1, 5),
                blankToNull(domain), blankToNull(q), status(status), pageSize, skip);
        AgentPage page = catalog.list(tenant.tenantId(), query);
        return new AgentJson.Listing(page.agents().stream().map(AgentJson.Summary::of).toList(), page.total(),
                pageSize, skip);
    }

    @GetMapping("/{idOrSlug}")
    AgentJson.Detail get(TenantContext tenant, @PathVariable String idOrSlug) {
        Agent agent = catalog.find(tenant.tenantId(), idOrSlug)
                .orElseThrow(() -> AskExpertException.notFound(ErrorCode.AGENT_NOT_FOUND, "agent", idOrSlug));
        // An expert's system prompt is the tenant's configuration, not something its users need to read.
        return AgentJson.Detail.of(agent, tenant.admin());
    }

    @PostMapping
    ResponseEntity<?> upsert(TenantContext tenant, @RequestBody @Nullable Object body) {
        requireAdmin(tenant);
        if (body instanceof List<?> records) {
            return batch(tenant, records);
        }
        if (!(body instanceof Map<?, ?>)) {
            throw AskExpertException.invalid("body", "must be an agent object or an array of agents");
        }
        ImportReport report = catalog.importRecords(tenant.tenantId(), List.of(body), done -> { });
        ImportReport.RecordResult result = report.results().getFirst();
        if (result.outcome() == ImportReport.Outcome.FAILED) {
            ImportReport.FieldError first = result.errors().getFirst();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("field", first.field());
            if (result.slug() != null) {
                details.put("slug", result.slug());
            }
            details.put("errors", result.errors().stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList());
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR, first.field() + " " + first.message(), details);
        }
        return ResponseEntity.ok(AgentJson.Report.of(report));
    }

    /**
     * A YAML catalogue, as the {@code agents import} command reads one (an array of agents, or an
     * object whose {@code agents} key is one): the web app's import sends the file as it is.
     */
    @PostMapping(consumes = {"application/yaml", "application/x-yaml", "text/yaml"})
    ResponseEntity<?> importYaml(TenantContext tenant, @RequestBody String yaml) {
        requireAdmin(tenant);
        List<?> records;
        try {
            records = AgentCatalog.readRecords("catalogue.yaml",
                    new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw AskExpertException.invalid("body", e.getMessage());
        }
        return batch(tenant, records);
    }

    private ResponseEntity<?> batch(TenantContext tenant, List<?> records) {
        if (records.isEmpty() || records.size() > MAX_BATCH) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR,
                    "a batch holds 1-" + MAX_BATCH + " agents", Map.of("field", "body", "actual", records.size()));
        }
        ImportReport report = catalog.importRecords(tenant.tenantId(), records, done -> { });
        return ResponseEntity.status(report.allSucceeded() ? 200 : MULTI_STATUS).body(AgentJson.Report.of(report));
    }

    private static void requireAdmin(TenantContext tenant) {
        if (!tenant.admin()) {
            throw new AskExpertException(ErrorCode.FORBIDDEN, "writing the catalogue needs the admin role",
                    Map.of("required_role", "admin"));
        }
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static @Nullable AgentStatus status(@Nullable String value) {
        if (value == null || value.isBlank() || value.equals("all")) {
            return value == null || value.isBlank() ? AgentStatus.ACTIVE : null;
        }
        for (AgentStatus s : AgentStatus.values()) {
            if (s.wireName().equals(value)) {
                return s;
            }
        }
        throw AskExpertException.invalid("status", "status must be one of active, inactive, deprecated, all");
    }

    private static int integer(String field, @Nullable String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed range
        }
        throw new AskExpertException(ErrorCode.VALIDATION_ERROR,
                field + " must be an integer " + min + (max == Integer.MAX_VALUE ? " or more" : "-" + max),
                Map.of("field", field, "actual", value));
    }
}
