package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.mcp.TestMcpServer;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.mockllm.MockReply;
import io.askexpert.mockllm.MockScenario;
import io.askexpert.testsupport.StrictSse;
import io.askexpert.testsupport.TestTokens;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An MCP tool in mode 3: a test MCP server over stdio offers a side-effecting tool to the mission's
 * expert; with FF_HITL_STRICT=true (the default) the mission stops at an {@code external_action}
 * checkpoint although it asked for none, and after approval the tool runs exactly once, with the
 * mission's idempotency key for that call.
 */
class MissionMcpIT extends MissionLlmFixture {

    static final String TOOL = "mcp__recorder__record_call";

    @Test
    void a_side_effecting_mcp_tool_of_the_expert_waits_for_approval_then_runs_exactly_once() throws Exception {
        String admin = TestTokens.admin(TENANT, "admin");
        Path calls = Files.createTempFile("mission-mcp-calls", ".tsv");
        Files.delete(calls);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        HttpResponse<String> declared = send("PUT", "/api/v1/expert/mcp/servers/recorder", admin, JSON.writeValueAsString(Map.of(
                "transport", "stdio", "command", java,
                "args", List.of("-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                        TestMcpServer.class.getName(), calls.toString()),
                "allowed_agents", List.of(GPT_EXPERT))));
        assertThat(declared.statusCode()).as(declared.body()).isBetween(200, 201);
        MOCK.scenario(
                MockScenario.reply(new MockReply.Scripted("{\"steps\": [{\"name\": \"Record the ticket\"}], "
                        + "\"confidence\": 0.8}", List.of())).forModel(GPT).whenBodyContains("Plan the mission").repeating(),
                MockScenario.reply(new MockReply.Scripted("", List.of(new MockReply.ToolCall("call_rec", TOOL,
                        Map.of("item", "ticket-9"))))).forModel(GPT).whenBodyContains("Now do step 1")
                        .whenLastMessageIs(MockScenario.LastMessage.TEXT).repeating(),
                MockScenario.reply(new MockReply.Scripted("Ticket 9 is recorded.", List.of())).forModel(GPT)
                        .whenBodyContains("Now do step 1").whenLastMessageIs(MockScenario.LastMessage.TOOL_RESULT).repeating(),
                MockScenario.reply(new MockReply.Scripted("# Ticket\n\nRecorded.", List.of())).forModel(GPT)
                        .whenBodyContains("final report").repeating());
        String id = create(GPT_EXPERT, Map.of("max_steps", 1, "require_checkpoints", false));

        List<StrictSse.Event> first = stream(id, 0, e -> e.name().equals("checkpoint"));
        JsonNode checkpoint = first.getLast().json();
        assertThat(checkpoint.get("type").asString()).isEqualTo("external_action");
        assertThat(checkpoint.get("context").get("tool").asString()).isEqualTo(TOOL);
        assertThat(checkpoint.get("context").get("side_effects").asBoolean()).isTrue();
        awaitState(id, "waiting_for_human");
        assertThat(Files.exists(calls)).as("the tool must not run before approval").isFalse();
        assertThat(bodies("Now do step 1")).as("the expert's model is offered the MCP tool")
                .isNotEmpty().allSatisfy(b -> assertThat(b).contains(TOOL));

        decide(checkpoint.get("id").asString(), "approve", "go ahead");
        List<StrictSse.Event> rest = stream(id, first.getLast().id(), e -> false);

        assertThat(rest.getLast().name()).isEqualTo("done");
        JsonNode result = named(rest, "tool_result").getFirst().json();
        assertThat(result.get("tool").asString()).isEqualTo(TOOL);
        assertThat(result.path("error").isNull() || result.path("error").isMissingNode()).as(result.toString()).isTrue();
        List<String> lines = Files.readAllLines(calls);
        assertThat(lines).containsExactly(id + ":step-1/tool/call_rec\tticket-9");
        assertThat(status(id).get("status").asString()).isEqualTo("completed");
    }

    private static List<String> bodies(String containing) {
        return MOCK.received().stream().map(MockLlmServer.Received::body).filter(b -> b.contains(containing)).toList();
    }
}
