package io.askexpert.missions;

import io.askexpert.tools.Tool;
import io.askexpert.tools.ToolInvocation;
import io.askexpert.tools.ToolResult;
import io.askexpert.tools.ToolSpec;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's tools beside a tenant's external ones: a name the external map holds runs through
 * {@link MemberTools.Runner} (the registry's checks), any other reaches the registry. What differs
 * between a mission's expert and a team member is only which tools are offered to the model.
 */
abstract sealed class CombinedTools implements MissionTools permits ExpertTools, MemberTools {

    private final MissionTools registry;
    private final Map<String, Tool> external;
    private final MemberTools.Runner runner;
    private final List<ToolSpec> offered;

    CombinedTools(MissionTools registry, Map<String, Tool> external, MemberTools.Runner runner, List<ToolSpec> offered) {
        this.registry = registry;
        this.external = Map.copyOf(external);
        this.runner = runner;
        this.offered = List.copyOf(offered);
    }

    @Override
    public final List<ToolSpec> specs() {
        return offered;
    }

    @Override
    public final Optional<ToolSpec> spec(String name) {
        Tool t = external.get(name);
        return t != null ? Optional.of(t.spec()) : registry.spec(name);
    }

    @Override
    public final ToolResult execute(String name, ToolInvocation invocation) {
        Tool t = external.get(name);
        return t != null ? runner.run(t, invocation) : registry.execute(name, invocation);
    }

    @Override
    public final BigDecimal costBound(String name, ToolInvocation invocation) {
        Tool t = external.get(name);
        return t != null ? t.costBound(invocation) : registry.costBound(name, invocation);
    }
}
