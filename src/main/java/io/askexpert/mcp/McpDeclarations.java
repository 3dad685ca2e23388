package io.askexpert.mcp;

import io.askexpert.config.AskExpertSettings;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.errors.InputText;
import io.askexpert.outbound.AddressPolicy;
import io.askexpert.outbound.OutboundRefused;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Checks an admin's declaration: each problem is a 400 naming the field, an operator's refusal a 403. */
final class McpDeclarations {

    /** Lower-case, digits and single hyphens: the {@code __} in {@code mcp__<server>__<tool>} stays unambiguous. */
    static final Pattern NAME = Pattern.compile("[a-z0-9](-?[a-z0-9]){0,23}");
    static final int MAX_ARGS = 64;
    /** Long enough for a Java class path. */
    static final int MAX_ARG = 65_536;
    static final int MAX_AGENTS = 200;
    static final int MAX_DECLARED_TOOLS = 500;

    private final AskExpertSettings.Mcp settings;
    private final AddressPolicy policy;

    McpDeclarations(AskExpertSettings.Mcp settings, AddressPolicy policy) {
        this.settings = settings;
        this.policy = policy;
    }

    static String name(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR,
                    "name must be 1-24 lower-case letters, digits or single hyphens, starting and ending with a letter or digit",
                    Map.of("field", "name", "pattern", NAME.pattern()));
        }
        return name;
    }

    McpServerDeclaration check(String tenantId, String name, McpServerRequest r) {
        McpTransport transport = McpTransport.fromWire(r.transport() == null ? "" : r.transport().strip())
                .orElseThrow(() -> new AskExpertException(ErrorCode.VALIDATION_ERROR, "transport must be stdio or http",
                        Map.of("field", "transport", "allowed", List.of("stdio", "http"))));
        String command = null;
        List<String> args = List.of();
        URI url = null;
        switch (transport) {
            case STDIO -> {
                if (r.url() != null) {
                    throw AskExpertException.invalid("url", "url is for http servers; a stdio server has a command");
                }
                if (!settings.stdioEnabled()) {
                    throw new AskExpertException(ErrorCode.FORBIDDEN,
                            "stdio MCP servers run commands on the service's host; the operator has not enabled them (MCP_STDIO_ENABLED)",
                            Map.of("field", "transport"));
                }
                command = InputText.require("command", r.command(), 1, 1024);
                args = args(r.args());
                if (!settings.allowedCommands().isEmpty() && !settings.allowedCommands().contains(command)) {
                    throw new AskExpertException(ErrorCode.FORBIDDEN, "the operator does not allow this command (MCP_STDIO_COMMANDS)",
                            Map.of("field", "command"));
                }
            }
            case HTTP -> {
                if (r.command() != null || (r.args() != null && !r.args().isEmpty())) {
                    throw AskExpertException.invalid("command", "command and args are for stdio servers; an http server has a url");
                }
                url = url(r.url());
            }
        }
        return new McpServerDeclaration(tenantId, name, transport, command, args, url, agents(r.allowedAgents()),
                sideEffects(r.toolsSideEffects()), Instant.EPOCH, Instant.EPOCH);
    }

    private static List<String> args(@Nullable List<String> args) {
        if (args == null) {
            return List.of();
        }
        if (args.size() > MAX_ARGS) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "args holds at most " + MAX_ARGS + " items",
                    Map.of("field", "args", "max_items", MAX_ARGS));
        }
        for (String a : args) {
            if (a.length() > MAX_ARG) {
                throw AskExpertException.invalid("args", "each argument holds at most " + MAX_ARG + " characters");
            }
        }
        return args;
    }

    private URI url(@Nullable String value) {
        String text = InputText.require("url", value, 1, 2048);
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw AskExpertException.invalid("url", "url is not a valid URL");
        }
        try {
            policy.check(uri);
        } catch (OutboundRefused e) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "url refused: " + e.getMessage(),
                    e.addressClass() == null ? Map.of("field", "url")
                            : Map.of("field", "url", "address_class", e.addressClass().wireName()));
        }
        return uri;
    }

    private static List<String> agents(@Nullable List<String> agents) {
        if (agents == null) {
            return List.of();
        }
        if (agents.size() > MAX_AGENTS) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "allowed_agents holds at most " + MAX_AGENTS + " experts",
                    Map.of("field", "allowed_agents", "max_items", MAX_AGENTS));
        }
        return agents.stream().map(a -> InputText.require("allowed_agents", a, 1, 128)).distinct().toList();
    }

    private static Map<String, Boolean> sideEffects(@Nullable Map<String, Boolean> declared) {
        if (declared == null) {
            return Map.of();
        }
        if (declared.size() > MAX_DECLARED_TOOLS) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR, "tools_side_effects names at most " + MAX_DECLARED_TOOLS
                    + " tools", Map.of("field", "tools_side_effects"));
        }
        declared.keySet().forEach(tool -> InputText.require("tools_side_effects", tool, 1, 128));
        return declared;
    }
}
