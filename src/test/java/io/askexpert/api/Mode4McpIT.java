package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.askexpert.mcp.TestMcpServer;
import io.askexpert.mockllm.MockReply;
import io.askexpert.mockllm.MockScenario;
import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestTokens;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A member's external tool in mode 4: a test MCP server over stdio offers a side-effecting tool to
 * one expert; with FF_HITL_STRICT=true (the default) the mission stops at an {@code external_action}
 * checkpoint (a {@code notification} and a signed webhook delivery announce it), and after approval
 * the tool runs exactly once.
 */
class Mode4McpIT extends Mode4Fixture {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        common(registry);
    }


    static final String OPS = "m4-ops-expert";

    @Test
    void a_side_effecting_mcp_tool_waits_for_approval_then_runs_exactly_once() throws Exception {
        String admin = TestTokens.admin(TENANT, "admin");
        Path calls = Files.createTempFile("mode4-mcp-calls", ".tsv");
        Files.delete(calls);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ok(send("PUT", "/api/v1/expert/mcp/servers/recorder", admin, JSON.writeValueAsString(Map.of(
                "transport", "stdio", "command", java,
                "args", List.of("-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                        TestMcpServer.class.getName(), calls.toString()),
                "allowed_agents", List.of(OPS)))));
        Map<String, Object> ops = expert(OPS, "Operations Expert", "complaint ticket operations", "m4-ops");
        ops.put("tools", List.of("mcp__recorder__record_call"));
        ok(send("POST", "/api/v1/expert/agents", admin, JSON.writeValueAsString(List.of(ops))));

        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(exchange.getRequestHeaders().getFirst("X-AskExpert-Event") + " "
                    + exchange.getRequestHeaders().getFirst("X-AskExpert-Signature") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            ok(send("PUT", "/api/v1/expert/webhook", admin, JSON.writeValueAsString(Map.of(
                    "url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                    "secret", "mode4-webhook-secret-0123456789"))));
            MOCK.scenario(new MockScenario(MockScenario.Match.ANY, "ok", MockReply.toolCall("mcp__recorder__record_call",
                    Map.of("item", "ticket-7")), MockScenario.FOREVER).whenLastMessageContains("Use your tools"));

            JsonNode created = create(Map.of("max_team_size", 2, "include_experts", List.of(OPS, TEAM.get(0)),
                    "notify_on_completion", true));
            String id = created.get("mission_id").asString();
            JsonNode preflight = ok(send("POST", "/api/v1/expert/mode4/mission/" + id + "/preflight", bearer(), null));
            assertThat(preflight.get("preflight_passed").asBoolean()).as(preflight.toString()).isTrue();

            List<StrictSse.Event> first = stream(id, e -> { }, e -> e.name().equals("notification"));
            StrictSse.Event checkpoint = first.stream().filter(e -> e.name().equals("checkpoint")).findFirst().orElseThrow();
            assertThat(checkpoint.json().get("type").asString()).isEqualTo("external_action");
            assertThat(first.getLast().json().get("type").asString()).isEqualTo("checkpoint_raised");
            await().atMost(Duration.ofSeconds(20)).until(() -> status(id).get("status").asString(), "waiting_for_human"::equals);
            JsonNode waiting = status(id);
            assertThat(waiting.get("checkpoints_pending").asInt()).isEqualTo(1);
            assertThat(waiting.get("team_status").get(0).get("status").asString()).isEqualTo("waiting_for_human");
            assertThat(Files.exists(calls)).as("the tool must not run before approval").isFalse();
            // The other member finished and recorded its delegation while the first one waited.
            assertThat(waiting.get("team_status").get(1).get("status").asString()).isEqualTo("completed");
            long safetyCalls = safetyRequests();
            assertThat(safetyCalls).isPositive();

            String checkpointId = checkpoint.json().get("id").asString();
            ok(send("POST", "/api/v1/expert/mission/checkpoint/" + checkpointId, bearer(),
                    JSON.writeValueAsString(Map.of("decision", "approve", "comment", "go ahead", "mode", 4))));
            await().atMost(Duration.ofSeconds(60)).until(() -> status(id).get("status").asString(), "completed"::equals);
            assertThat(safetyRequests()).as("a recorded delegation is never run again after the resume")
                    .isEqualTo(safetyCalls);
            List<String> lines = Files.readAllLines(calls);
            assertThat(lines).hasSize(1);
            assertThat(lines.getFirst()).startsWith(id + ":step-").contains("/tool/").endsWith("\tticket-7");

            await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().anyMatch(r -> r.startsWith("mission_completed")));
            assertThat(received.stream().filter(r -> r.startsWith("checkpoint_raised")).count()).isEqualTo(1);
            assertThat(received).allSatisfy(r -> assertThat(r).contains("sha256=").contains(id));
        } finally {
            receiver.stop(0);
        }
    }

    /** Model requests the safety expert's delegated answer made (its own prompt). */
    private static long safetyRequests() {
        return MOCK.received().stream().filter(r -> r.body().contains("You are the Safety Reporting Expert")).count();
    }
}
