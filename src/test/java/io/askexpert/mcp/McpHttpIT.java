package io.askexpert.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.database.Migrations;
import io.askexpert.errors.AskExpertException;
import io.askexpert.outbound.AddressPolicy;
import io.askexpert.outbound.AllowedHosts;
import io.askexpert.outbound.HostResolver;
import io.askexpert.outbound.OutboundHttp;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.tools.Tool;
import io.askexpert.tools.ToolInvocation;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/** MCP over streamable HTTP: a real SDK server in an embedded Tomcat on loopback, reached through the outbound policy. */
class McpHttpIT {

    @TempDir Path dir;
    private TestPostgres db;
    private HikariDataSource dataSource;
    private Tomcat tomcat;
    private McpSyncServer server;
    private int port;
    private final List<AutoCloseable> closeables = new java.util.ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        db = TestPostgres.create();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(db.jdbcUrl());
        dataSource.setMaximumPoolSize(2);
        new Migrations(dataSource).upgrade(null);

        HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(new JacksonMcpJsonMapper(JsonMapper.builder().build())).mcpEndpoint("/mcp").build();
        server = McpServer.sync(transport).serverInfo("test-mcp-http", "1")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(TestMcpServer.tools(dir.resolve("calls.tsv"))).build();
        tomcat = new Tomcat();
        tomcat.setBaseDir(dir.resolve("tomcat").toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", dir.toString());
        Wrapper wrapper = Tomcat.addServlet(context, "mcp", transport);
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded("/*", "mcp");
        tomcat.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
        server.close();
        tomcat.stop();
        tomcat.destroy();
        dataSource.close();
        db.close();
    }

    private McpTools tools(String allowed, HostResolver resolver) {
        OutboundHttp outbound = new OutboundHttp(new AddressPolicy(AllowedHosts.parse(allowed), resolver),
                new OutboundHttp.Limits(Duration.ofSeconds(5), Duration.ofSeconds(2), 1 << 20));
        AskExpertSettings.Mcp settings = new AskExpertSettings.Mcp(false, "", Duration.ofSeconds(5), Duration.ofSeconds(20));
        McpConnections connections = new McpConnections(settings, outbound);
        closeables.add(outbound);
        closeables.add(connections);
        return new McpTools(new McpServerStore(JdbcClient.create(dataSource)), new McpDeclarations(settings, outbound.policy()),
                connections, settings);
    }

    private static McpServerRequest http(String url) {
        return new McpServerRequest("http", null, null, url, List.of("*"), null);
    }

    @Test
    void tools_over_streamable_http_are_listed_and_called_at_the_checked_address() throws Exception {
        // The name exists only in this resolver: the session works only if every request goes to the checked address.
        McpTools mcp = tools("mcp.rebind.invalid", host -> List.of(InetAddress.getLoopbackAddress()));
        mcp.declare("t1", "remote", http("http://mcp.rebind.invalid:" + port + "/mcp"));

        Map<String, Tool> byName = mcp.forTenant("t1", "any").stream()
                .collect(Collectors.toMap(t -> t.spec().name(), Function.identity()));

        assertThat(byName).containsKeys("mcp__remote__record_call", "mcp__remote__list_calls");
        assertThat(byName.get("mcp__remote__record_call").spec().sideEffects()).isTrue();
        assertThat(byName.get("mcp__remote__record_call").run(new ToolInvocation("c1", "key-1", "t1", "u1", null,
                Map.of("item", "over-http"))).value()).isEqualTo(Map.of("content", "recorded over-http"));
        assertThat(Files.readAllLines(dir.resolve("calls.tsv"))).containsExactly("key-1\tover-http");
    }

    @Test
    void a_loopback_server_is_refused_without_the_operators_entry() {
        McpTools strict = tools("", HostResolver.system());
        assertThatThrownBy(() -> strict.declare("t1", "remote", http("http://127.0.0.1:" + port + "/mcp")))
                .isInstanceOfSatisfying(AskExpertException.class,
                        e -> assertThat(e.details()).containsEntry("field", "url").containsEntry("address_class", "loopback"));
    }
}
