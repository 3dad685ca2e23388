package io.askexpert.missions;

import io.askexpert.tools.Tool;
import io.askexpert.tools.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tools a mode 3 mission's expert may call: every tool of the registry, plus the tenant's
 * external tools allowed for that expert (MCP, through {@link MemberTools.External}). An external
 * tool is run by the registry's checks (schema, timeout, span, metrics) like a built-in one, and its
 * spec (side effects, external) feeds the same {@link HumanGate} rule.
 */
final class ExpertTools extends CombinedTools {

    ExpertTools(MissionTools registry, List<Tool> external, MemberTools.Runner runner) {
        this(registry, usable(registry, external), runner);
    }

    private ExpertTools(MissionTools registry, Map<String, Tool> external, MemberTools.Runner runner) {
        super(registry, external, runner, offered(registry, external));
    }

    /** A registry tool keeps its name: an external tool never shadows a built-in one. */
    private static Map<String, Tool> usable(MissionTools registry, List<Tool> external) {
        Map<String, Tool> byName = new LinkedHashMap<>();
        external.stream().filter(t -> registry.spec(t.spec().name()).isEmpty()).forEach(t -> byName.put(t.spec().name(), t));
        return byName;
    }

    private static List<ToolSpec> offered(MissionTools registry, Map<String, Tool> external) {
        List<ToolSpec> all = new ArrayList<>(registry.specs());
        external.values().forEach(t -> all.add(t.spec()));
        return all;
    }
}
