package io.askexpert.missions;

import io.askexpert.agents.Agent;
import io.askexpert.tools.Tool;
import io.askexpert.tools.ToolInvocation;
import io.askexpert.tools.ToolResult;
import io.askexpert.tools.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The tools one team member may use in a tenant's mission: the registry's tools the member declares
 * in the catalogue ({@code tools[]}), plus the tenant's external tools allowed for that member
 * (MCP, through {@code external}). {@link #specs()} is what the member's model is offered;
 * lookups and calls reach the registry's built-ins too ({@code consult_expert} for the member's own
 * answer), and an external tool runs through the registry's checks like any other.
 */
final class MemberTools implements MissionTools {

    /** Tools the executor calls itself: never offered to a member's model. */
    static final List<String> INTERNAL = List.of(ToolRunner.CONSULT_EXPERT, ToolRunner.CREATE_ARTIFACT);

    /** The tenant's external tools a member may use; {@link #NONE} when there are none. */
    @FunctionalInterface
    interface External extends BiFunction<String, Agent, List<Tool>> {
        External NONE = (tenant, agent) -> List.of();
    }

    /** How an external tool runs with the registry's checks (schema, timeout, span, metrics). */
    @FunctionalInterface
    interface Runner {
        ToolResult run(Tool tool, ToolInvocation invocation);
    }

    private final MissionTools registry;
    private final Map<String, Tool> external;
    private final Runner runner;
    private final List<ToolSpec> offered;

    MemberTools(MissionTools registry, Agent member, List<Tool> external, Runner runner) {
        this.registry = registry;
        this.runner = runner;
        this.external = new LinkedHashMap<>();
        external.forEach(t -> this.external.put(t.spec().name(), t));
        List<ToolSpec> own = new ArrayList<>();
        for (String name : member.tools()) {
            if (!INTERNAL.contains(name) && !this.external.containsKey(name)) {
                registry.spec(name).ifPresent(own::add);
            }
        }
        this.external.values().forEach(t -> own.add(t.spec()));
        this.offered = List.copyOf(own);
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
