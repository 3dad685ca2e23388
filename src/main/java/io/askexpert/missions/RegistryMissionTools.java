package io.askexpert.missions;

import io.askexpert.tools.ToolInvocation;
import io.askexpert.tools.ToolRegistry;
import io.askexpert.tools.ToolResult;
import io.askexpert.tools.ToolSpec;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The mission's tools are the registry's: every {@code Tool} bean, run with its schema check and timeout. */
@Component
final class RegistryMissionTools implements MissionTools {

    private final ToolRegistry registry;

    RegistryMissionTools(ToolRegistry registry) {
        this.registry = registry;
    }

    @Override
    public List<ToolSpec> specs() {
        return registry.specs();
    }

    @Override
    public Optional<ToolSpec> spec(String name) {
        return registry.spec(name);
    }

    @Override
    public ToolResult execute(String name, ToolInvocation invocation) {
        return registry.execute(name, invocation);
    }

    @Override
    public BigDecimal costBound(String name, ToolInvocation invocation) {
        return registry.costBound(name, invocation);
    }
}
