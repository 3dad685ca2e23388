package io.askexpert.missions;

import io.askexpert.tools.ToolInvocation;
import io.askexpert.tools.ToolResult;
import io.askexpert.tools.ToolSpec;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * The tools a mission's expert may call, as the executor sees them: the tool registry (schema check,
 * timeout, span {@code tool_execution}, tool metrics). Implementation: {@code RegistryMissionTools}.
 */
interface MissionTools {

    List<ToolSpec> specs();

    Optional<ToolSpec> spec(String name);

    ToolResult execute(String name, ToolInvocation invocation);

    /** What the call can cost at most, held of the mission's budget before it runs ({@code Tool.costBound}). */
    default BigDecimal costBound(String name, ToolInvocation invocation) {
        return spec(name).map(ToolSpec::costUsd).orElse(BigDecimal.ZERO);
    }
}
