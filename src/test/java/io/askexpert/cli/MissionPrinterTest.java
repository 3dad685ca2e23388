package io.askexpert.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.runs.Sequenced;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class MissionPrinterTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final MissionPrinter printer = new MissionPrinter(new PrintStream(out, true, StandardCharsets.UTF_8), false);

    private static final String STREAM = """
            id: 1
            event: run
            data: {"run_id":"run_m","session_id":"s","mission_id":"m-1","mode":3}

            id: 2
            event: mission_started
            data: {"mission_id":"m-1","status":"running"}

            id: 3
            event: plan
            data: {"steps":[{"id":"s1","name":"Research","description":"search the knowledge base","status":"pending","estimated_time_s":20},{"id":"s2","name":"Synthesis","description":"","status":"pending","estimated_time_s":0}],"plan_confidence":0.8}

            id: 4
            event: step_started
            data: {"step_id":"s1","name":"Research"}

            id: 5
            event: tool_call
            data: {"id":"t1","tool":"knowledge_search","input":{"query":"SUSAR reporting timelines"}}

            id: 6
            event: tool_result
            data: {"id":"t1","tool":"knowledge_search","output":{"results":[]},"durationMs":12}

            id: 7
            event: delegation
            data: {"from":"pharmacovigilance-expert","to":"FDA Regulatory Affairs Expert","task":"US 7-day rule?","reason":"US scope"}

            id: 8
            event: cost
            data: {"inputTokens":0,"outputTokens":0,"totalTokens":0,"estimatedCost":0.0021,"currentCost":0.0021,"budgetLimit":5.00}

            id: 9
            event: step_completed
            data: {"step_id":"s1","duration_ms":1500,"status":"completed"}

            : heartbeat

            id: 10
            event: artifact
            data: {"id":"a1","type":"report","title":"SUSAR brief","format":"markdown","preview":"# SUSAR","download_url":"/api/v1/expert/missions/m-1/artifacts/a1"}

            id: 11
            event: mission_completed
            data: {"mission_id":"m-1","status":"completed","artifacts":[],"metrics":{"duration_ms":4200,"steps_executed":2,"total_cost_usd":0.0042}}

            id: 12
            event: done
            data: {"success":true,"mission_id":"m-1"}

            id: 13
            event: token
            data: {"content":"never read"}

            """;

    @Test
    void renders_plan_steps_tools_delegations_cost_and_the_end_one_line_each() throws IOException {
        RemoteAnswers.read(new ByteArrayInputStream(STREAM.getBytes(StandardCharsets.UTF_8)), printer::accept);

        assertThat(printer.ending()).isEqualTo(AnswerPrinter.Ending.DONE);
        assertThat(out.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "Mission m-1 started",
                "Plan (confidence 80%):",
                "  1. Research - search the knowledge base (~20 s)",
                "  2. Synthesis",
                "> Step 1/2: Research",
                "  tool knowledge_search {\"query\":\"SUSAR reporting timelines\"}",
                "  asks FDA Regulatory Affairs Expert: US 7-day rule? (US scope)",
                "Cost: $0.0021 of $5.00 budget",
                "  [############............] 1/2 step 1/2 completed in 1.5 s | $0.0021 of $5.00",
                "  artifact: SUSAR brief (report, markdown)",
                "Mission completed: 2 steps in 4.2 s, $0.0042");
        assertThat(printer.artifacts()).singleElement()
                .satisfies(a -> assertThat(a.path("download_url").asString()).endsWith("/artifacts/a1"));
    }

    @Test
    void an_error_or_a_cancellation_ends_with_its_status() {
        assertThat(printer.accept(new Sequenced(1, "tool_result",
                "{\"id\":\"t\",\"tool\":\"http_post\",\"durationMs\":5000,\"error\":\"timed out after 5 s\"}"))).isFalse();
        assertThat(printer.accept(new Sequenced(2, "error",
                "{\"code\":\"BUDGET_EXCEEDED\",\"message\":\"the mission's budget would be exceeded\",\"recoverable\":false}"))).isTrue();
        assertThat(printer.ending().exitCode).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("  tool http_post failed: timed out after 5 s")
                .contains("error: BUDGET_EXCEEDED: the mission's budget would be exceeded");

        MissionPrinter other = new MissionPrinter(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
        other.accept(new Sequenced(1, "cancelled", "{\"reason\":\"user\",\"partial_cost\":0.01}"));
        assertThat(other.ending()).isEqualTo(AnswerPrinter.Ending.CANCELLED);
    }

    @Test
    void bars_money_and_long_lines() {
        assertThat(MissionPrinter.bar(0, 4)).isEqualTo("[........................] 0/4");
        assertThat(MissionPrinter.bar(4, 4)).isEqualTo("[########################] 4/4");
        assertThat(MissionPrinter.bar(3, 0)).isEqualTo("[########################] 3/0");
        assertThat(MissionPrinter.usd(new BigDecimal("5"))).isEqualTo("$5.00");
        assertThat(MissionPrinter.usd(new BigDecimal("1.5"))).isEqualTo("$1.50");
        assertThat(MissionPrinter.usd(new BigDecimal("0.123456"))).isEqualTo("$0.1235");
        assertThat(MissionPrinter.usd(new BigDecimal("0.00042"))).isEqualTo("$0.00042");
        assertThat(MissionPrinter.usd(BigDecimal.ZERO)).isEqualTo("$0.00");
        assertThat(MissionPrinter.clip("x\ny".repeat(100))).hasSize(110).endsWith("...").doesNotContain("\n");
    }

    @Test
    void status_and_history_read_as_text() {
        JsonMapper json = JsonMapper.builder().build();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        MissionSubcommands.printStatus(json.readTree("""
                {"mission_id":"m-1","mode":3,"status":"waiting_for_human","goal":"Compile the SUSAR rules","progress":10,
                 "agent":{"id":"a","name":"PV Expert"},"offline":true,
                 "plan":{"steps":[{"id":"s1","name":"Research","status":"completed"},{"id":"s2","name":"Synthesis","status":"pending"}]},
                 "pending_checkpoints":[{"id":"c-9","type":"plan_approval","question":"Approve the plan?"}],
                 "budget":{"limit_usd":5,"spent_usd":0,"reserved_usd":0},"artifacts":[],"error":null}"""), print);
        MissionSubcommands.printHistory(json.readTree("""
                {"missions":[{"mission_id":"m-1","mode":3,"status":"completed","goal":"Compile the SUSAR rules","title":"SUSAR rules",
                 "created_at":"2026-12-07T06:00:00Z","total_cost_usd":0.0042}],"total":1,"limit":20,"offset":0}"""), print);
        List<String> lines = buffer.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).contains("Mission m-1 | waiting_for_human | 10% | offline", "Expert: PV Expert",
                "Budget: $0.00 spent, $0.00 reserved, of $5.00", "  1. [completed] Research",
                "Waiting for you: checkpoint c-9 (plan_approval): Approve the plan?", "1 of 1");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("m-1").contains("completed").contains("$0.0042")
                .contains("2026-12-07 06:00:00").endsWith("SUSAR rules"));
    }
}
