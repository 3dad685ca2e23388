package io.askexpert.agents;

import io.askexpert.agents.ImportReport.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns one untyped record (a JSON object or YAML mapping) into an {@link AgentDraft}, collecting
 * every offending field rather than stopping at the first, so an import report can name them all.
 * Unknown fields are ignored (api.md §1).
 */
final class AgentRecordParser {

    static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,126}[a-z0-9])?");
    private static final int MAX_LIST = 100;
    private static final int MAX_ITEM = 200;

    /** Either a draft or the errors that kept it from being one; {@code slug} when one could be read. */
    record Parsed(@Nullable String slug, @Nullable AgentDraft draft, List<FieldError> errors) {
    }

    private final List<FieldError> errors = new ArrayList<>();
    private final Map<?, ?> raw;

    private AgentRecordParser(Map<?, ?> raw) {
        this.raw = raw;
    }

    static Parsed parse(@Nullable Object record) {
        if (!(record instanceof Map<?, ?> map)) {
            return new Parsed(null, null, List.of(new FieldError("record", "must be an object")));
        }
        return new AgentRecordParser(map).parse();
    }

    private Parsed parse() {
        String slug = text("slug", 128, true);
        if (slug != null && !SLUG.matcher(slug).matches()) {
            errors.add(new FieldError("slug", "must be lower-case letters, digits and inner hyphens, e.g. 'fda-510k-specialist'"));
        }
        String name = text("name", 256, true);
        String displayName = text("display_name", 256, false);
        AgentLevel level = level();
        String description = text("description", 10_000, false);
        String specialty = text("specialty", 512, false);
        List<String> domains = list("domains");
        List<String> capabilities = list("capabilities");
        List<String> regions = list("regions");
        List<String> areas = list("therapeutic_areas");
        List<String> phases = list("phases");
        String systemPrompt = text("system_prompt", 50_000, false);
        List<String> tools = list("tools");
        List<String> namespaces = list("knowledge_namespaces");
        String reportsTo = text("reports_to", 128, false);
        String model = text("model", 128, false);
        Double temperature = temperature();
        AgentStatus status = status();
        List<String> collaborators = raw.get("collaborates_with") == null ? null : list("collaborates_with");
        if (reportsTo != null && !SLUG.matcher(reportsTo).matches()) {
            errors.add(new FieldError("reports_to", "must be the slug of another agent"));
        }
        if (reportsTo != null && reportsTo.equals(slug)) {
            errors.add(new FieldError("reports_to", "an agent cannot report to itself"));
        }
        if (!errors.isEmpty() || slug == null || name == null || level == null) {
            return new Parsed(slug, null, List.copyOf(errors));
        }
        AgentDraft draft = new AgentDraft(slug, name, displayName == null ? name : displayName, level,
                nonNull(description), nonNull(specialty), domains, capabilities, regions, areas, phases,
                nonNull(systemPrompt), tools, namespaces, reportsTo, model, temperature,
                status == null ? AgentStatus.ACTIVE : status, collaborators);
        return new Parsed(slug, draft, List.of());
    }

    private static String nonNull(@Nullable String s) {
        return s == null ? "" : s;
    }

    private @Nullable String text(String field, int max, boolean required) {
        Object value = raw.get(field);
        if (value == null) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (!(value instanceof String s)) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        String trimmed = s.strip();
        if (required && trimmed.isEmpty()) {
            errors.add(new FieldError(field, "must not be blank"));
            return null;
        }
        if (trimmed.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
            return null;
        }
        return trimmed.isEmpty() && !required ? null : trimmed;
    }

    private @Nullable AgentLevel level() {
        Object value = raw.get("level");
        if (value == null) {
            errors.add(new FieldError("level", "is required (1 master, 2 expert, 3 specialist, 4 worker, 5 tool)"));
            return null;
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && n.intValue() >= 1 && n.intValue() <= 5) {
            return AgentLevel.of(n.intValue());
        }
        if (value instanceof String s) {
            for (AgentLevel level : AgentLevel.values()) {
                if (level.name().equalsIgnoreCase(s.strip()) || String.valueOf(level.number()).equals(s.strip())) {
                    return level;
                }
            }
        }
        errors.add(new FieldError("level", "must be an integer 1-5"));
        return null;
    }

    private @Nullable Double temperature() {
        Object value = raw.get("temperature");
        if (value == null) {
            return null;
        }
        if (value instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 2) {
            return n.doubleValue();
        }
        errors.add(new FieldError("temperature", "must be a number 0-2"));
        return null;
    }

    private @Nullable AgentStatus status() {
        Object value = raw.get("status");
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            for (AgentStatus status : AgentStatus.values()) {
                if (status.wireName().equals(s.strip().toLowerCase(Locale.ROOT))) {
                    return status;
                }
            }
        }
        errors.add(new FieldError("status", "must be one of active, inactive, deprecated"));
        return null;
    }

    private List<String> list(String field) {
        Object value = raw.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> items)) {
            errors.add(new FieldError(field, "must be an array of strings"));
            return List.of();
        }
        if (items.size() > MAX_LIST) {
            errors.add(new FieldError(field, "must have at most " + MAX_LIST + " items"));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof String s) || s.isBlank()) {
                errors.add(new FieldError(field + "[" + i + "]", "must be a non-blank string"));
            } else if (s.strip().length() > MAX_ITEM) {
                errors.add(new FieldError(field + "[" + i + "]", "must be at most " + MAX_ITEM + " characters"));
            } else if (!out.contains(s.strip())) {
                out.add(s.strip());
            }
        }
        return out;
    }
}
