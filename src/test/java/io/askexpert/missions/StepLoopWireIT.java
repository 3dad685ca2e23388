package io.askexpert.missions;

import static io.askexpert.missions.MissionFixtures.passage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.agents.Agent;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.config.Secret;
import io.askexpert.errors.ErrorCode;
import io.askexpert.llm.LlmGateway;
import io.askexpert.llm.PriceTable;
import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.mockllm.MockReply;
import io.askexpert.mockllm.MockScenario;
import io.askexpert.runs.RunEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The executor's model path over both real wire formats (the mock LLM server speaking Anthropic and
 * OpenAI), with the run and the tools in memory: plan, native tool calls, tool results back, the
 * report, and a failure mid-step that is retried and then fails the step. The full-stack version,
 * with the engine, PostgreSQL and the registry's tools, is {@code MissionMockLlmIT}.
 */
class StepLoopWireIT {

    static MockLlmServer mock;
    static LlmGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        mock = MockLlmServer.start(MockLlmConfig.forTests().withTiming(Duration.ofMillis(2), 2000, 20));
        gateway = new LlmGateway(new AskExpertSettings.Llm(Secret.of("k"), mock.baseUri(), "claude-sonnet-4-20250514",
                Secret.of("k"), mock.openAiBaseUri(), "gpt-4o-mini", "", Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofSeconds(2), 1, Duration.ofMillis(10), Duration.ofSeconds(1), "", 1000, 100, Duration.ofSeconds(1)),
                PriceTable.load(Optional.empty()), new SimpleMeterRegistry());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        mock.close();
    }

    @BeforeEach
    void reset() {
        mock.resetScript();
    }

    private final MissionFixtures.FakeTools tools = new MissionFixtures.FakeTools().searching(List.of(
            passage("ctr", "ctr-1", 1, "EU CTR Article 42", "Fatal SUSARs within seven days."),
            passage("cfr", "cfr-1", 2, "21 CFR 312.32", "IND safety reports within 15 days.")));
    private final MissionFixtures.ListArtifacts artifacts = new MissionFixtures.ListArtifacts();

    private ExpertMissionExecutor executor(Agent lead) {
        ModelCalls models = new ModelCalls(gateway, PriceTable.load(Optional.empty()));
        ToolRunner runner = new ToolRunner(tools, new HumanGate(true));
        ExpertDirectory directory = MissionFixtures.directory(lead);
        return new ExpertMissionExecutor(directory, new Planning(new LlmPlanner(models, tools, directory)),
                new StepLoop(models, runner, tools), new OfflineSteps(runner), new Reporting(models, artifacts), () -> false);
    }

    private static Agent lead(String model) {
        Agent a = MissionFixtures.agent("lead");
        return new Agent(a.id(), a.tenantId(), a.slug(), a.name(), a.displayName(), a.level(), a.description(),
                a.specialty(), a.domains(), a.capabilities(), a.regions(), a.therapeuticAreas(), a.phases(),
                a.systemPrompt(), a.tools(), a.knowledgeNamespaces(), a.reportsTo(), model, a.temperature(), a.status(),
                a.collaboratesWith(), a.version(), a.createdAt(), Instant.now());
    }

    private void script(String model) {
        mock.scenario(
                MockScenario.reply(new MockReply.Scripted("{\"steps\": [{\"name\": \"Search the rules\", \"description\": "
                        + "\"EU and US\", \"tools\": [\"knowledge_search\"]}], \"confidence\": 0.9}", List.of()))
                        .forModel(model).whenBodyContains("Plan the mission").repeating(),
                MockScenario.reply(new MockReply.Scripted("Searching.", List.of(new MockReply.ToolCall("call_s1",
                        "knowledge_search", Map.of("query", "SUSAR timelines")))))
                        .forModel(model).whenBodyContains("Now do step 1").whenLastMessageIs(MockScenario.LastMessage.TEXT)
                        .repeating(),
                MockScenario.reply(new MockReply.Scripted("EU: seven days [1]. US: 15 days [2].", List.of()))
                        .forModel(model).whenLastMessageIs(MockScenario.LastMessage.TOOL_RESULT).repeating(),
                MockScenario.reply(new MockReply.Scripted("# Timelines\n\n| Region | Days |\n|---|---|\n| EU | 7 [1] |\n"
                        + "| US | 15 [2] |\n\n## References\n[1] x", List.of()))
                        .forModel(model).whenBodyContains("final report").repeating());
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude-sonnet-4-20250514", "gpt-4o-mini"})
    void plans_calls_tools_and_reports_over_each_wire_format(String model) throws Exception {
        script(model);
        InMemoryMissionRun run = new InMemoryMissionRun(MissionFixtures.mission(
                "Compare SUSAR reporting timelines in the EU and the US", 3, false, Set.of()));

        executor(lead(model)).execute(run);

        assertThat(run.journal).containsKeys("plan/llm-1", "plan", "step-1/started", "step-1/llm-1",
                "step-1/tool/call_s1", "step-1/llm-2", "step-1/completed", "report/llm-1", "report");
        assertThat(tools.calls).singleElement().satisfies(inv -> {
            assertThat(inv.input()).containsEntry("query", "SUSAR timelines");
            assertThat(inv.idempotencyKey()).endsWith(":step-1/tool/call_s1");
        });
        assertThat(run.events(RunEvent.ToolCall.class)).extracting(RunEvent.ToolCall::tool).containsExactly("knowledge_search");
        assertThat(run.events(RunEvent.Token.class)).isNotEmpty();
        String report = artifacts.contents.getFirst();
        assertThat(report).contains("| EU | 7 [1] |\n| US | 15 [2] |").doesNotContain("## References")
                .contains("- [1] **EU CTR Article 42**").contains("- [2] **21 CFR 312.32**");
        assertThat(run.reserved).contains("plan/llm-1", "step-1/llm-1", "step-1/tool/call_s1", "step-1/llm-2", "report/llm-1");
        assertThat(run.settled).hasSize(run.reserved.size());

        int events = run.events.size();
        executor(lead(model)).execute(run);
        assertThat(run.events).hasSize(events);
        assertThat(tools.calls).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"claude-sonnet-4-20250514", "gpt-4o-mini"})
    void a_model_failing_mid_step_is_retried_then_fails_the_step(String model) {
        // first: scenarios answer in the order they were added
        mock.scenario(MockScenario.fault("500").forModel(model).whenLastMessageIs(MockScenario.LastMessage.TOOL_RESULT)
                .repeating());
        script(model);
        InMemoryMissionRun run = new InMemoryMissionRun(MissionFixtures.mission(
                "Compare SUSAR reporting timelines in the EU and the US", 3, false, Set.of()));

        assertThatThrownBy(() -> executor(lead(model)).execute(run)).isInstanceOfSatisfying(MissionFailure.class, f -> {
            assertThat(f.code()).isEqualTo(ErrorCode.LLM_ERROR);
            assertThat(f.getMessage()).startsWith("Step 1 (Search the rules) failed").contains("500");
        });
        assertThat(run.journal).containsKey("step-1/tool/call_s1").doesNotContainKey("step-1/llm-2");
        assertThat(run.reserved.stream().filter("step-1/llm-2"::equals)).hasSize(2);
    }
}
