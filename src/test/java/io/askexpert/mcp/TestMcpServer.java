package io.askexpert.mcp;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tiny MCP server for tests, started over stdio by the test with the test class path. Its tools:
 * {@code record_call} (side-effecting, appends "idempotency key TAB item" to the file named by the
 * first argument), {@code list_calls} (read-only), {@code sleep} (no annotations) and {@code fail}
 * (answers with an error).
 */
public final class TestMcpServer {

    private TestMcpServer() {
    }

    public static void main(String[] args) throws Exception {
        // stdout carries the protocol: everything else (logging included) goes to stderr or nowhere.
        PrintStream protocol = System.out;
        System.setOut(System.err);
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        logging.reset();
        logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.OFF);

        Path calls = Path.of(args[0]);
        McpJsonMapper json = new JacksonMcpJsonMapper(JsonMapper.builder().build());
        StdioServerTransportProvider transport = new StdioServerTransportProvider(json, System.in, protocol);
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("test-mcp-server", "1")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tools(calls))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join(); // the transport's threads serve until stdin closes or the process is killed
    }

    /** The four tools, also served over streamable HTTP by {@link McpHttpIT}. */
    static List<McpServerFeatures.SyncToolSpecification> tools(Path calls) {
        return List.of(recordCall(calls), listCalls(calls), sleep(), fail());
    }

    private static Map<String, Object> objectSchema(Map<String, Object> properties, List<String> required) {
        return Map.of("type", "object", "properties", properties, "required", required);
    }

    private static McpServerFeatures.SyncToolSpecification recordCall(Path calls) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name("record_call").description("Records an item (changes the file)")
                .inputSchema(objectSchema(Map.of("item", Map.of("type", "string", "description", "what to record")),
                        List.of("item")))
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(false).destructiveHint(true).build())
                .build();
        return new McpServerFeatures.SyncToolSpecification(tool, (exchange, request) -> {
            Object key = request.meta() == null ? "none" : request.meta().getOrDefault(McpTool.IDEMPOTENCY_META, "none");
            String item = String.valueOf(request.arguments().get("item"));
            try {
                Files.writeString(calls, key + "\t" + item + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                return McpSchema.CallToolResult.builder().addTextContent("cannot write: " + e).isError(true).build();
            }
            return McpSchema.CallToolResult.builder().addTextContent("recorded " + item).build();
        });
    }

    private static McpServerFeatures.SyncToolSpecification listCalls(Path calls) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name("list_calls").description("Lists the recorded items")
                .inputSchema(objectSchema(Map.of(), List.of()))
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(true).build())
                .build();
        return new McpServerFeatures.SyncToolSpecification(tool, (exchange, request) -> {
            try {
                String text = Files.exists(calls) ? Files.readString(calls) : "";
                return McpSchema.CallToolResult.builder().addTextContent(text).build();
            } catch (IOException e) {
                return McpSchema.CallToolResult.builder().addTextContent("cannot read").isError(true).build();
            }
        });
    }

    private static McpServerFeatures.SyncToolSpecification sleep() {
        McpSchema.Tool tool = McpSchema.Tool.builder().name("sleep").description("Waits")
                .inputSchema(objectSchema(Map.of("ms", Map.of("type", "integer")), List.of("ms"))).build();
        return new McpServerFeatures.SyncToolSpecification(tool, (exchange, request) -> {
            try {
                Thread.sleep(((Number) request.arguments().get("ms")).longValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return McpSchema.CallToolResult.builder().addTextContent("slept").build();
        });
    }

    private static McpServerFeatures.SyncToolSpecification fail() {
        McpSchema.Tool tool = McpSchema.Tool.builder().name("fail").description("Always fails")
                .inputSchema(objectSchema(Map.of(), List.of())).build();
        return new McpServerFeatures.SyncToolSpecification(tool, (exchange, request) ->
                McpSchema.CallToolResult.builder().addTextContent("no such thing").isError(true).build());
    }
}
