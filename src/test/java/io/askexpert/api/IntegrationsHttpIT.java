package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.askexpert.mcp.TestMcpServer;
import io.askexpert.testsupport.RawExchange;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestService;
import io.askexpert.testsupport.TestTokens;
import io.askexpert.webhooks.MissionNotification;
import io.askexpert.webhooks.NotificationType;
import io.askexpert.webhooks.WebhookSignature;
import io.askexpert.webhooks.Webhooks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The webhook and MCP routes as clients call them: admins only, per tenant, 400 naming the field, secrets never answered. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class IntegrationsHttpIT {

    static final TestPostgres DB = TestPostgres.create();
    static final String U = "/api/v1/expert";
    static final String SECRET = "whsec-http-it-0123456789abcdef";
    static final JsonMapper JSON = JsonMapper.builder().build();
    @TempDir static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DB, dataDir);
        registry.add("ask-expert.knowledge.vector-store", () -> "lucene");
        registry.add("ask-expert.outbound.allowed-hosts", () -> "127.0.0.1");
        registry.add("ask-expert.mcp.stdio-enabled", () -> "true");
        registry.add("ask-expert.webhooks.backoff", () -> "100ms");
        registry.add("ask-expert.webhooks.poll-interval", () -> "200ms");
    }

    @AfterAll
    static void dropDatabase() {
        DB.close();
    }

    @LocalServerPort int port;
    @Autowired Webhooks webhooks;

    private RawExchange call(String method, String target, String body, String auth) throws Exception {
        List<String[]> h = new ArrayList<>();
        h.add(new String[] {"Authorization", auth});
        if (body != null) {
            h.add(new String[] {"Content-Type", "application/json"});
        }
        return RawExchange.send(port, new RawExchange.Request(method, target.getBytes(StandardCharsets.ISO_8859_1), h,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)), 60_000);
    }

    private static JsonNode error(RawExchange r, int status) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        return JSON.readTree(r.text()).get("error");
    }

    @Test
    void members_get_403_on_every_integration_route() throws Exception {
        String member = TestTokens.bearer("t-int", "member");
        for (String[] route : new String[][] {{"GET", U + "/webhook"}, {"PUT", U + "/webhook"}, {"DELETE", U + "/webhook"},
                {"GET", U + "/webhook/deliveries"}, {"GET", U + "/mcp/servers"}, {"GET", U + "/mcp/servers/x"},
                {"PUT", U + "/mcp/servers/x"}, {"DELETE", U + "/mcp/servers/x"}, {"GET", U + "/mcp/servers/x/tools"}}) {
            RawExchange r = call(route[0], route[1], route[0].equals("PUT") ? "{}" : null, member);
            assertThat(error(r, 403).get("code").asString()).as(route[0] + " " + route[1]).isEqualTo("FORBIDDEN");
        }
    }

    @Test
    void a_webhook_is_configured_delivered_signed_and_its_secret_never_answered_or_logged(CapturedOutput output) throws Exception {
        Queue<String[]> received = new ConcurrentLinkedQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/in", ex -> {
            received.add(new String[] {ex.getRequestHeaders().getFirst("X-AskExpert-Timestamp"),
                    ex.getRequestHeaders().getFirst("X-AskExpert-Signature"),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        try {
            String admin = TestTokens.admin("t-hook", "a1");
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/in";
            RawExchange put = call("PUT", U + "/webhook", "{\"url\":\"" + url + "\",\"secret\":\"" + SECRET
                    + "\",\"events\":[\"mission_completed\",\"checkpoint_raised\"]}", admin);
            assertThat(put.status()).as(put.text()).isEqualTo(200);
            assertThat(put.text()).doesNotContain(SECRET).contains("\"has_secret\":true").contains("mission_completed");
            RawExchange get = call("GET", U + "/webhook", null, admin);
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.text()).doesNotContain(SECRET).contains(url);
            assertThat(error(call("GET", U + "/webhook", null, TestTokens.admin("t-other", "a9")), 404).get("code").asString())
                    .isEqualTo("NOT_FOUND");

            UUID mission = UUID.randomUUID();
            webhooks.notify("t-hook", new MissionNotification(NotificationType.MISSION_COMPLETED, mission, "Report",
                    "Done", "completed", Instant.now()));
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 1);
            String[] r = received.peek();
            assertThat(WebhookSignature.verify(SECRET, Long.parseLong(r[0]), r[2].getBytes(StandardCharsets.UTF_8), r[1])).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    call("GET", U + "/webhook/deliveries?status=delivered", null, admin).text().contains(mission.toString()));
            JsonNode page = JSON.readTree(call("GET", U + "/webhook/deliveries", null, admin).text());
            assertThat(page.get("total").asInt()).isEqualTo(1);
            assertThat(page.get("deliveries").get(0).get("attempts").get(0).get("status_code").asInt()).isEqualTo(204);
            assertThat(JSON.readTree(call("GET", U + "/webhook/deliveries", null, TestTokens.admin("t-other", "a9")).text())
                    .get("total").asInt()).isZero();

            assertThat(call("DELETE", U + "/webhook", null, admin).status()).isEqualTo(204);
            assertThat(call("DELETE", U + "/webhook", null, admin).status()).isEqualTo(404);
            assertThat(output.getAll()).doesNotContain(SECRET);
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void bad_webhook_input_is_400_naming_the_field() throws Exception {
        String admin = TestTokens.admin("t-bad", "a1");
        Map<String, String> cases = Map.of(
                "{\"url\":5,\"secret\":\"" + SECRET + "\"}", "url",
                "{\"url\":\"http://127.0.0.1:9/x\",\"secret\":\"short\"}", "secret",
                "{\"url\":\"http://127.0.0.1:9/x\"}", "secret",
                "{\"url\":\"http://127.0.0.1:9/x\",\"secret\":\"" + SECRET + "\",\"events\":\"mission_completed\"}", "events",
                "{\"url\":\"http://127.0.0.1:9/x\",\"secret\":\"" + SECRET + "\",\"events\":[\"boom\"]}", "events",
                "{\"url\":\"http://10.0.0.1/x\",\"secret\":\"" + SECRET + "\"}", "url",
                "{\"url\":\"gopher://example.com\",\"secret\":\"" + SECRET + "\"}", "url",
                "[1,2]", "body");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            RawExchange r = call("PUT", U + "/webhook", c.getKey(), admin);
            JsonNode e = error(r, 400);
            assertThat(e.get("details").get("field").asString()).as(c.getKey()).isEqualTo(c.getValue());
            assertThat(r.text()).doesNotContain(SECRET);
        }
        assertThat(error(call("GET", U + "/webhook/deliveries?limit=0", null, admin), 400).get("details").get("field").asString())
                .isEqualTo("limit");
        assertThat(error(call("GET", U + "/webhook/deliveries?status=lost", null, admin), 400).get("details").get("field").asString())
                .isEqualTo("status");
    }

    @Test
    void mcp_servers_are_declared_listed_described_and_removed_per_tenant() throws Exception {
        String admin = TestTokens.admin("t-mcp", "a1");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, Object> declaration = Map.of("transport", "stdio", "command", java,
                "args", List.of("-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                        TestMcpServer.class.getName(), dataDir.resolve("mcp-calls.tsv").toString()),
                "allowed_agents", List.of("analyst"), "tools_side_effects", Map.of("sleep", false));
        RawExchange put = call("PUT", U + "/mcp/servers/recorder", JSON.writeValueAsString(declaration), admin);
        assertThat(put.status()).as(put.text()).isEqualTo(200);
        assertThat(JSON.readTree(put.text()).get("allowed_agents").get(0).asString()).isEqualTo("analyst");

        JsonNode tools = JSON.readTree(call("GET", U + "/mcp/servers/recorder/tools", null, admin).text()).get("tools");
        Map<String, Boolean> sideEffects = new java.util.HashMap<>();
        tools.forEach(t -> sideEffects.put(t.get("name").asString(), t.get("side_effects").asBoolean()));
        assertThat(sideEffects).containsEntry("mcp__recorder__record_call", true).containsEntry("mcp__recorder__list_calls", false)
                .containsEntry("mcp__recorder__sleep", false).containsEntry("mcp__recorder__fail", true);

        assertThat(JSON.readTree(call("GET", U + "/mcp/servers", null, admin).text()).get("servers")).hasSize(1);
        assertThat(JSON.readTree(call("GET", U + "/mcp/servers", null, TestTokens.admin("t-else", "a2")).text()).get("servers")).isEmpty();
        assertThat(call("GET", U + "/mcp/servers/recorder", null, TestTokens.admin("t-else", "a2")).status()).isEqualTo(404);
        assertThat(call("DELETE", U + "/mcp/servers/recorder", null, TestTokens.admin("t-else", "a2")).status()).isEqualTo(404);

        Map<String, String> bad = Map.of(
                "{\"transport\":\"smoke\"}", "transport",
                "{\"transport\":\"http\",\"url\":\"http://192.168.1.1/mcp\"}", "url",
                "{\"transport\":\"stdio\",\"command\":\"x\",\"args\":\"-v\"}", "args",
                "{\"transport\":\"stdio\",\"command\":\"x\",\"allowed_agents\":[1]}", "allowed_agents",
                "{\"transport\":\"stdio\",\"command\":\"x\",\"tools_side_effects\":{\"t\":\"yes\"}}", "tools_side_effects.t");
        for (Map.Entry<String, String> c : bad.entrySet()) {
            JsonNode e = error(call("PUT", U + "/mcp/servers/other", c.getKey(), admin), 400);
            assertThat(e.get("details").get("field").asString()).as(c.getKey()).isEqualTo(c.getValue());
        }
        assertThat(error(call("PUT", U + "/mcp/servers/Bad__Name", "{\"transport\":\"stdio\",\"command\":\"x\"}", admin), 400)
                .get("details").get("field").asString()).isEqualTo("name");

        assertThat(call("DELETE", U + "/mcp/servers/recorder", null, admin).status()).isEqualTo(204);
        assertThat(call("GET", U + "/mcp/servers/recorder", null, admin).status()).isEqualTo(404);
    }
}
