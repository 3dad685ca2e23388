package io.askexpert.mcp;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How the service reaches an MCP server: a command it starts (stdio) or a streamable-HTTP URL. */
public enum McpTransport {
    STDIO, HTTP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<McpTransport> fromWire(String value) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(value)).findFirst();
    }
}
