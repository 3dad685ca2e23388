package io.askexpert.missions;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a model's plan: the JSON the planner asks for (also inside a code fence, after prose, or as
 * a bare array), else a numbered list ({@code 1. Name: what (tools: a, b; experts: x)}). Tool names
 * the registry does not know are dropped, steps past {@code max_steps} are cut, and output with no
 * usable step yields nothing, so the planner falls back to {@link #fallback}.
 */
final class PlanParser {

    static final long DEFAULT_STEP_SECONDS = 60;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern NUMBERED = Pattern.compile(
            "^\\s*(?:[-*]\\s*)?(?:\\*\\*)?(?:step\\s*)?(\\d{1,2})\\s*[.):\\-]\\s*(?:\\*\\*)?\\s*(.+)$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TAG = Pattern.compile("\\(((?:tools?|experts?)\\s*:[^)]*)\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern LABEL = Pattern.compile("^\\s*(tools?|experts?)\\s*:\\s*(.*)$", Pattern.CASE_INSENSITIVE);

    private final int maxSteps;
    private final Set<String> knownTools;

    PlanParser(int maxSteps, Set<String> knownTools) {
        this.maxSteps = maxSteps;
        this.knownTools = Set.copyOf(knownTools);
    }

    /** The plan in {@code text}, or null when there is none to read. */
    @Nullable MissionPlan parse(String text) {
        MissionPlan fromJson = json(text);
        return fromJson != null ? fromJson : numbered(text);
    }

    private @Nullable MissionPlan json(String text) {
        for (String candidate : jsonCandidates(text)) {
            try {
                JsonNode root = JSON.readTree(candidate);
                JsonNode steps = root.isArray() ? root : root.path("steps");
                if (!steps.isArray() || steps.isEmpty()) {
                    continue;
                }
                List<MissionPlan.PlanStep> out = new ArrayList<>();
                for (JsonNode s : steps) {
                    String name = firstText(s, "name", "title", "step");
                    String description = firstText(s, "description", "details", "task");
                    if (name.isBlank() && description.isBlank()) {
                        continue;
                    }
                    if (out.size() == maxSteps) {
                        break;
                    }
                    long seconds = s.path("estimated_time_s").asLong(s.path("estimated_seconds").asLong(DEFAULT_STEP_SECONDS));
                    out.add(new MissionPlan.PlanStep(out.size() + 1, name.isBlank() ? shorten(description) : shorten(name),
                            description, tools(names(s.path("tools"))), names(s.path("experts")),
                            seconds > 0 ? seconds : DEFAULT_STEP_SECONDS));
                }
                if (!out.isEmpty()) {
                    double confidence = root.isObject() ? root.path("confidence").asDouble(
                            root.path("plan_confidence").asDouble(0.7)) : 0.7;
                    return new MissionPlan(out, confidence > 1 ? confidence / 100 : confidence, false);
                }
            } catch (JacksonException | IllegalArgumentException e) {
                // not this candidate: try the next, then the numbered list
            }
        }
        return null;
    }

    /** The whole text, then each fenced block, then the span from the first brace or bracket to the last. */
    private static List<String> jsonCandidates(String text) {
        List<String> out = new ArrayList<>();
        out.add(text.strip());
        Matcher fence = Pattern.compile("```(?:json)?\\s*(.*?)```", Pattern.DOTALL).matcher(text);
        while (fence.find()) {
            out.add(fence.group(1).strip());
        }
        int brace = text.indexOf('{');
        int end = text.lastIndexOf('}');
        if (brace >= 0 && end > brace) {
            out.add(text.substring(brace, end + 1));
        }
        int bracket = text.indexOf('[');
        int close = text.lastIndexOf(']');
        if (bracket >= 0 && close > bracket) {
            out.add(text.substring(bracket, close + 1));
        }
        return out;
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String f : fields) {
            JsonNode v = node.path(f);
            if (v.isString() && !v.asString().isBlank()) {
                return v.asString().strip();
            }
        }
        return "";
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode n : node) {
                String v = n.isString() ? n.asString() : n.path("name").asString(n.path("id").asString(""));
                if (!v.isBlank()) {
                    out.add(v.strip());
                }
            }
        } else if (node.isString()) {
            out.addAll(split(node.asString()));
        }
        return out;
    }

    private @Nullable MissionPlan numbered(String text) {
        List<MissionPlan.PlanStep> out = new ArrayList<>();
        int expected = 1;
        for (String line : text.split("\\R")) {
            Matcher m = NUMBERED.matcher(line);
            if (!m.matches() || Integer.parseInt(m.group(1)) != expected || out.size() == maxSteps) {
                continue;
            }
            String rest = m.group(2).replace("**", "").strip();
            List<String> tools = new ArrayList<>();
            List<String> experts = new ArrayList<>();
            Matcher tag = TAG.matcher(rest);
            while (tag.find()) {
                // "(tools: a, b; experts: x)": each ';' part may start a new label
                List<String> into = tools;
                for (String part : tag.group(1).split(";")) {
                    Matcher label = LABEL.matcher(part);
                    if (label.matches()) {
                        into = label.group(1).toLowerCase(Locale.ROOT).startsWith("tool") ? tools : experts;
                        part = label.group(2);
                    }
                    into.addAll(split(part));
                }
            }
            rest = TAG.matcher(rest).replaceAll("").strip();
            int colon = rest.indexOf(':');
            String name = colon > 0 && colon < 80 ? rest.substring(0, colon).strip() : shorten(rest);
            String description = colon > 0 && colon < 80 ? rest.substring(colon + 1).strip() : rest;
            if (name.isBlank()) {
                continue;
            }
            out.add(new MissionPlan.PlanStep(expected, name, description, tools(tools), experts, DEFAULT_STEP_SECONDS));
            expected++;
        }
        return out.isEmpty() ? null : new MissionPlan(out, 0.6, false);
    }

    private static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        for (String part : list.split("[,;]")) {
            if (!part.isBlank()) {
                out.add(part.strip());
            }
        }
        return out;
    }

    private List<String> tools(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            String name = n.strip().replace("`", "");
            if (knownTools.contains(name)) {
                out.add(name);
            }
        }
        return List.copyOf(out);
    }

    private static String shorten(String text) {
        String s = text.strip();
        return s.length() <= 80 ? s : s.substring(0, 77).strip() + "…";
    }

    /**
     * The plan used when the model's answer has no readable plan: research with the knowledge base,
     * then analysis, then the report, cut to {@code max_steps}.
     */
    MissionPlan fallback(String goal) {
        List<String> research = knownTools.contains("knowledge_search") ? List.of("knowledge_search") : List.of();
        List<MissionPlan.PlanStep> steps = new ArrayList<>(List.of(
                new MissionPlan.PlanStep(1, "Research the goal", "Find the sources that bear on: " + shorten(goal),
                        research, List.of(), DEFAULT_STEP_SECONDS),
                new MissionPlan.PlanStep(2, "Analyse the findings",
                        "Compare what the sources say, note agreements, gaps and open questions", List.of(), List.of(),
                        DEFAULT_STEP_SECONDS),
                new MissionPlan.PlanStep(3, "Draft the conclusions",
                        "State the answer to the goal with a citation for every claim", List.of(), List.of(),
                        DEFAULT_STEP_SECONDS)));
        return new MissionPlan(steps.subList(0, Math.min(maxSteps, steps.size())), 0.3, false);
    }
}
