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
import java.util.function.BiFunction;

/**
 * The tools one team member may use in a tenant's mission: the registry's tools the member declares
 * in the catalogue ({@code tools[]}), plus the tenant's external tools allowed for that member
 * (MCP, through {@code external}). {@link #specs()} is what the member's model is offered;
 * lookups and calls reach the registry's built-ins too ({@code consult_expert} for the member's own
 * answer), and an external tool runs through the registry's checks like any other.
 */
final class MemberTools extends CombinedTools {

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
        /** Where no external tools are configured: a call to one is an unknown tool. */
        Runner NOT_CONFIGURED = (tool, invocation) -> new ToolResult.Failed(tool.spec().name(),
                io.askexpert.tools.ToolFailure.UNKNOWN_TOOL, "external tools are not configured", 0);

        ToolResult run(Tool tool, ToolInvocation invocation);
    }

    MemberTools(MissionTools registry, Agent member, List<Tool> external, Runner runner) {
        this(registry, member, byName(external), runner);
    }

    private MemberTools(MissionTools registry, Agent member, Map<String, Tool> external, Runner runner) {
        super(registry, external, runner, offered(registry, member, external));
    }

    private static Map<String, Tool> byName(List<Tool> external) {
        Map<String, Tool> byName = new LinkedHashMap<>();
        external.forEach(t -> byName.put(t.spec().name(), t));
        return byName;
    }

    private static List<ToolSpec> offered(MissionTools registry, Agent member, Map<String, Tool> external) {
        List<ToolSpec> own = new ArrayList<>();
        for (String name : member.tools()) {
            if (!INTERNAL.contains(name) && !external.containsKey(name)) {
                registry.spec(name).ifPresent(own::add);
            }
        }
        external.values().forEach(t -> own.add(t.spec()));
        return own;
    }
}
