package io.askexpert.missions;

import io.askexpert.tools.Tool;
import io.askexpert.tools.ToolInvocation;
import io.askexpert.tools.ToolResult;
import io.askexpert.tools.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tools a mode 3 mission's expert may call: every tool of the registry, plus the tenant's
 * external tools allowed for that expert (MCP, through {@link MemberTools.External}). An external
 * tool is run by the registry's checks (schema, timeout, span, metrics) like a built-in one, and its
 * spec (side effects, external) feeds the same {@link HumanGate} rule.
 */
final class ExpertTools implements MissionTools {

    private final MissionTools registry;
    private final Map<String, Tool> external;
    private final MemberTools.Runner runner;
    private final List<ToolSpec> offered;

    ExpertTools(MissionTools registry, List<Tool> external, MemberTools.Runner runner) {
        this.registry = registry;
        this.runner = runner;
        this.external = new LinkedHashMap<>();
        // A registry tool keeps its name: an external tool never shadows a built-in one.
        external.stream().filter(t -> registry.spec(t.spec().name()).isEmpty())
                .forEach(t -> this.external.put(t.spec().name(), t));
        List<ToolSpec> all = new ArrayList<>(registry.specs());
        this.external.values().forEach(t -> all.add(t.spec()));
        this.offered = List.copyOf(all);
    }

    @Override
    public List<ToolSpec> specs() {
        return offered;
    }

    @Override
    public Optional<ToolSpec> spec(String name) {
        Tool t = external.get(name);
        return t != null ? Optional.of(t.spec()) : registry.spec(name);
    }

    @Override
    public ToolResult execute(String name, ToolInvocation invocation) {
        Tool t = external.get(name);
        return t != null ? runner.run(t, invocation) : registry.execute(name, invocation);
    }
}
