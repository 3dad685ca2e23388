package io.askexpert.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.database.Migrations;
import io.askexpert.errors.AskExpertException;
import io.askexpert.errors.ErrorCode;
import io.askexpert.outbound.AddressPolicy;
import io.askexpert.outbound.AllowedHosts;
import io.askexpert.outbound.HostResolver;
import io.askexpert.outbound.OutboundHttp;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.tools.Tool;
import io.askexpert.tools.ToolInvocation;
import io.askexpert.tools.ToolOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/** MCP tools from a real MCP server process started over stdio with the test class path. */
class McpToolsIT {

    @TempDir Path dir;
    private TestPostgres db;
    private HikariDataSource dataSource;
    private OutboundHttp outbound;
    private McpConnections connections;
    private Path calls;

    @BeforeEach
    void setUp() {
        db = TestPostgres.create();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(db.jdbcUrl());
        dataSource.setMaximumPoolSize(2);
        new Migrations(dataSource).upgrade(null);
        outbound = new OutboundHttp(new AddressPolicy(AllowedHosts.parse("127.0.0.1"), HostResolver.system()),
                new OutboundHttp.Limits(Duration.ofSeconds(5), Duration.ofSeconds(2), 64 * 1024));
        calls = dir.resolve("calls.tsv");
    }

    @AfterEach
    void tearDown() {
        if (connections != null) {
            connections.close();
        }
        outbound.close();
        dataSource.close();
        db.close();
    }

    private McpTools tools(boolean stdioEnabled, String commands) {
        AskExpertSettings.Mcp settings = new AskExpertSettings.Mcp(stdioEnabled, commands, Duration.ofSeconds(3),
                Duration.ofSeconds(60));
        connections = new McpConnections(settings, outbound);
        return new McpTools(new McpServerStore(JdbcClient.create(dataSource)), new McpDeclarations(settings, outbound.policy()),
                connections, settings);
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private McpServerRequest testServer(List<String> agents, Map<String, Boolean> declared) {
        return new McpServerRequest("stdio", java(), List.of("-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                TestMcpServer.class.getName(), calls.toString()), null, agents, declared);
    }

    private static ToolInvocation call(String id, Map<String, Object> input) {
        return new ToolInvocation(id, "mission-1/step-1/tool/" + id, "t1", "u1", null, input);
    }

    @Test
    void lists_the_servers_tools_with_schema_timeout_and_side_effect_flags_for_allowed_experts_only() {
        McpTools mcp = tools(true, "");
        mcp.declare("t1", "recorder", testServer(List.of("agent-a"), Map.of("sleep", false, "record_call", false)));

        Map<String, Tool> byName = mcp.forTenant("t1", "agent-a").stream()
                .collect(Collectors.toMap(t -> t.spec().name(), Function.identity()));

        assertThat(byName).containsOnlyKeys("mcp__recorder__record_call", "mcp__recorder__list_calls", "mcp__recorder__sleep",
                "mcp__recorder__fail");
        Tool record = byName.get("mcp__recorder__record_call");
        assertThat(record.spec().inputSchema()).containsEntry("type", "object").containsEntry("required", List.of("item"));
        assertThat(((Map<?, ?>) record.spec().inputSchema().get("properties")).keySet()).extracting(Object::toString).contains("item");
        assertThat(record.spec().description()).contains("Records an item");
        assertThat(record.spec().timeout()).isEqualTo(Duration.ofSeconds(3));
        // destructiveHint beats the admin's false: an admin may only be stricter than the server.
        assertThat(record.spec().sideEffects()).isTrue();
        assertThat(record.spec().external()).isTrue();
        assertThat(byName.get("mcp__recorder__list_calls").spec().sideEffects()).isFalse(); // readOnlyHint
        assertThat(byName.get("mcp__recorder__sleep").spec().sideEffects()).isFalse(); // no hints: the admin said false
        assertThat(byName.get("mcp__recorder__fail").spec().sideEffects()).isTrue(); // no hints, no word: side-effecting
        assertThat(record.spec().llmTool().name()).isEqualTo("mcp__recorder__record_call");

        assertThat(mcp.forTenant("t1", "agent-b")).isEmpty();
        assertThat(mcp.forTenant("t2", "agent-a")).isEmpty();
        assertThat(mcp.forTenant("t1", List.of("uuid-of-b", "agent-a"))).hasSize(4);
    }

    @Test
    void calling_a_side_effecting_tool_runs_it_once_with_the_idempotency_key_and_errors_are_failures() throws Exception {
        McpTools mcp = tools(true, "");
        mcp.declare("t1", "recorder", testServer(List.of("*"), Map.of()));
        Map<String, Tool> byName = mcp.forTenant("t1", "any-expert").stream()
                .collect(Collectors.toMap(t -> t.spec().name(), Function.identity()));

        ToolOutput out = byName.get("mcp__recorder__record_call").run(call("toolu_1", Map.of("item", "invoice-42")));

        assertThat(out.value()).isEqualTo(Map.of("content", "recorded invoice-42"));
        assertThat(Files.readAllLines(calls)).containsExactly("mission-1/step-1/tool/toolu_1\tinvoice-42");
        ToolOutput listed = byName.get("mcp__recorder__list_calls").run(call("toolu_2", Map.of()));
        assertThat(((Map<?, ?>) listed.value()).get("content").toString()).contains("invoice-42");
        assertThatThrownBy(() -> byName.get("mcp__recorder__fail").run(call("toolu_3", Map.of())))
                .isInstanceOf(McpTool.McpToolError.class).hasMessageContaining("no such thing");
        assertThat(Files.readAllLines(calls)).hasSize(1);
    }

    @Test
    void a_call_past_the_timeout_fails_and_the_next_call_opens_a_new_session() throws Exception {
        McpTools mcp = tools(true, "");
        mcp.declare("t1", "recorder", testServer(List.of("*"), Map.of()));
        Map<String, Tool> byName = mcp.forTenant("t1", "x").stream()
                .collect(Collectors.toMap(t -> t.spec().name(), Function.identity()));

        Instant start = Instant.now();
        assertThatThrownBy(() -> byName.get("mcp__recorder__sleep").run(call("toolu_9", Map.of("ms", 30_000))))
                .isInstanceOf(McpConnections.McpUnavailable.class);
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(25));

        assertThat(byName.get("mcp__recorder__sleep").run(call("toolu_10", Map.of("ms", 1))).value())
                .isEqualTo(Map.of("content", "slept"));
    }

    @Test
    void the_tool_registry_runs_mcp_tools_with_its_schema_check_deadline_and_metric() {
        McpTools mcp = tools(true, "");
        mcp.declare("t1", "recorder", testServer(List.of("*"), Map.of()));
        Map<String, Tool> byName = mcp.forTenant("t1", "x").stream()
                .collect(Collectors.toMap(t -> t.spec().name(), Function.identity()));
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (io.askexpert.tools.ToolRegistry registry = new io.askexpert.tools.ToolRegistry(List.of(),
                new io.askexpert.observability.Tracing(io.opentelemetry.api.OpenTelemetry.noop().getTracer("test")), meters)) {
            assertThat(registry.execute(byName.get("mcp__recorder__record_call"), call("r1", Map.of("item", "via-registry"))))
                    .isInstanceOf(io.askexpert.tools.ToolResult.Succeeded.class);
            assertThat(registry.execute(byName.get("mcp__recorder__record_call"), call("r2", Map.of())))
                    .isInstanceOfSatisfying(io.askexpert.tools.ToolResult.Failed.class,
                            f -> assertThat(f.failure()).isEqualTo(io.askexpert.tools.ToolFailure.INVALID_INPUT));
            assertThat(registry.execute(byName.get("mcp__recorder__sleep"), call("r3", Map.of("ms", 30_000))))
                    .isInstanceOfSatisfying(io.askexpert.tools.ToolResult.Failed.class,
                            f -> assertThat(f.failure()).isEqualTo(io.askexpert.tools.ToolFailure.TIMEOUT));
            assertThat(meters.find("ask_expert.tool.duration").tag("tool", "mcp").timers()).isNotEmpty();
            assertThat(meters.find("ask_expert.tool.duration").tag("tool", "mcp__recorder__record_call").timers()).isEmpty();
        }
        assertThat(calls).content().isEqualTo("mission-1/step-1/tool/r1\tvia-registry\n");
    }

    @Test
    void stdio_servers_need_the_operator_and_declarations_are_checked_field_by_field() {
        McpTools off = tools(false, "");
        assertThatThrownBy(() -> off.declare("t1", "recorder", testServer(List.of("*"), Map.of())))
                .isInstanceOfSatisfying(AskExpertException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
                    assertThat(e.details()).containsEntry("field", "transport");
                });
        connections.close();
        McpTools narrow = tools(true, "/usr/bin/true");
        assertThatThrownBy(() -> narrow.declare("t1", "recorder", testServer(List.of("*"), Map.of())))
                .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.details()).containsEntry("field", "command"));

        McpTools mcp = tools(true, "");
        assertThatThrownBy(() -> mcp.declare("t1", "Bad__Name", testServer(List.of(), Map.of())))
                .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.details()).containsEntry("field", "name"));
        assertThatThrownBy(() -> mcp.declare("t1", "x", new McpServerRequest("carrier-pigeon", null, null, null, null, null)))
                .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.details()).containsEntry("field", "transport"));
        assertThatThrownBy(() -> mcp.declare("t1", "x", new McpServerRequest("stdio", " ", null, null, null, null)))
                .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.details()).containsEntry("field", "command"));
        assertThatThrownBy(() -> mcp.declare("t1", "x", new McpServerRequest("http", null, null, null, null, null)))
                .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.details()).containsEntry("field", "url"));
        assertThatThrownBy(() -> mcp.declare("t1", "x", new McpServerRequest("http", null, null, "http://10.1.2.3/mcp", null, null)))
                .isInstanceOfSatisfying(AskExpertException.class,
                        e -> assertThat(e.details()).containsEntry("field", "url").containsEntry("address_class", "private"));
        assertThatThrownBy(() -> mcp.declare("t1", "x", new McpServerRequest("http", "node", null, "https://example.com/mcp", null, null)))
                .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.details()).containsEntry("field", "command"));
        assertThat(mcp.servers("t1")).isEmpty();
    }

    @Test
    void the_side_effect_rule_reads_annotations_then_the_admin_then_defaults_to_yes() {
        var readOnly = io.modelcontextprotocol.spec.McpSchema.ToolAnnotations.builder().readOnlyHint(true).build();
        var additive = io.modelcontextprotocol.spec.McpSchema.ToolAnnotations.builder().readOnlyHint(false).destructiveHint(false).build();
        var titleOnly = io.modelcontextprotocol.spec.McpSchema.ToolAnnotations.builder().title("t").build();
        assertThat(McpTool.sideEffects(readOnly, null)).isFalse();
        assertThat(McpTool.sideEffects(readOnly, true)).isTrue();
        assertThat(McpTool.sideEffects(additive, false)).isTrue();
        assertThat(McpTool.sideEffects(titleOnly, false)).isFalse();
        assertThat(McpTool.sideEffects(titleOnly, null)).isTrue();
        assertThat(McpTool.sideEffects(null, null)).isTrue();
        assertThat(McpTool.exposedName("srv", "a.b/c")).matches("mcp__srv__a_b_c_[0-9a-f]{8}");
        assertThat(McpTool.exposedName("srv", "x".repeat(80))).hasSize(64).matches("[A-Za-z0-9_-]+");
    }
}
