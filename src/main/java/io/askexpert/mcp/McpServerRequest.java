package io.askexpert.mcp;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A declaration as an admin sent it (every field unchecked; {@link McpTools#declare} checks them). */
public record McpServerRequest(@Nullable String transport, @Nullable String command, @Nullable List<String> args,
                               @Nullable String url, @Nullable List<String> allowedAgents,
                               @Nullable Map<String, Boolean> toolsSideEffects) {
}
