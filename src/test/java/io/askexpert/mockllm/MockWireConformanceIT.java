package io.askexpert.mockllm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The mock's wire formats read by an implementation that is not ours: LangChain4j's Anthropic and
 * OpenAI clients (test scope only) parse its text and tool-call replies, streamed and whole, the
 * way they parse the real APIs. A mock that drifted from the formats would pass our own tests and
 * fail here.
 */
class MockWireConformanceIT {

    private static final Map<String, Object> CALC = Map.of("expression", "12 * (3 + 4)");
    private static final Map<String, Object> SEARCH = Map.of("query", "fatal SUSAR reporting \"EU\"", "top_k", 5);
    private static final ToolSpecification CALCULATOR = ToolSpecification.builder().name("calculator")
            .description("Arithmetic.").parameters(JsonObjectSchema.builder().addStringProperty("expression").build())
            .build();
    private static final ToolSpecification KNOWLEDGE = ToolSpecification.builder().name("knowledge_search")
            .description("Search.").parameters(JsonObjectSchema.builder().addStringProperty("query")
                    .addIntegerProperty("top_k").build()).build();

    private final JsonMapper json = JsonMapper.builder().build();
    private MockLlmServer mock;

    @BeforeEach
    void start() throws Exception {
        mock = MockLlmServer.start(MockLlmConfig.forTests().withTiming(Duration.ofMillis(2), 2000, 6));
        mock.scenario(MockScenario.reply(MockReply.textThenToolCalls("Checking both.",
                MockReply.call("calculator", CALC), MockReply.call("knowledge_search", SEARCH)))
                .whenLastMessageContains("tools please").repeating());
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    private StreamingChatModel anthropicStreaming() {
        return AnthropicStreamingChatModel.builder().baseUrl(mock.baseUri() + "/v1/").apiKey("k")
                .modelName("claude-sonnet-4-20250514").maxTokens(100).build();
    }

    private StreamingChatModel openAiStreaming() {
        return OpenAiStreamingChatModel.builder().baseUrl(mock.openAiBaseUri().toString()).apiKey("k")
                .modelName("gpt-4o-mini").maxTokens(100).build();
    }

    private static ChatRequest request(String question) {
        return ChatRequest.builder().messages(UserMessage.from(question)).toolSpecifications(CALCULATOR, KNOWLEDGE)
                .build();
    }

    private static ChatResponse stream(StreamingChatModel model, ChatRequest request, StringBuilder text) throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                text.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return done.get(20, TimeUnit.SECONDS);
    }

    private void assertToolTurn(ChatResponse response) {
        List<ToolExecutionRequest> calls = response.aiMessage().toolExecutionRequests();
        assertThat(calls).extracting(ToolExecutionRequest::name).containsExactly("calculator", "knowledge_search");
        assertThat(json.readValue(calls.get(0).arguments(), Map.class)).isEqualTo(CALC);
        assertThat(json.readValue(calls.get(1).arguments(), Map.class)).isEqualTo(SEARCH);
        assertThat(calls).extracting(ToolExecutionRequest::id).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(response.metadata().tokenUsage().outputTokenCount()).isPositive();
    }

    @Test
    void streamed_tool_calls_parse_in_both_formats() throws Exception {
        for (StreamingChatModel model : List.of(anthropicStreaming(), openAiStreaming())) {
            StringBuilder text = new StringBuilder();
            ChatResponse response = stream(model, request("tools please"), text);
            assertThat(text.toString()).isEqualTo("Checking both.");
            assertThat(response.finishReason().name()).isEqualTo("TOOL_EXECUTION");
            assertToolTurn(response);
        }
    }

    @Test
    void streamed_text_parses_in_both_formats() throws Exception {
        for (StreamingChatModel model : List.of(anthropicStreaming(), openAiStreaming())) {
            StringBuilder text = new StringBuilder();
            ChatResponse response = stream(model, request("just text"), text);
            assertThat(text.toString()).isEqualTo("Regulatory guidance expects a complete CMC");
            assertThat(response.finishReason().name()).isEqualTo("STOP");
        }
    }

    @Test
    void whole_tool_calls_parse_in_both_formats() {
        ChatModel anthropic = AnthropicChatModel.builder().baseUrl(mock.baseUri() + "/v1/").apiKey("k")
                .modelName("claude-sonnet-4-20250514").maxTokens(100).build();
        ChatModel openAi = OpenAiChatModel.builder().baseUrl(mock.openAiBaseUri().toString()).apiKey("k")
                .modelName("gpt-4o-mini").maxTokens(100).build();
        for (ChatModel model : List.of(anthropic, openAi)) {
            ChatResponse response = model.chat(request("tools please"));
            assertThat(response.aiMessage().text()).isEqualTo("Checking both.");
            assertToolTurn(response);
        }
    }
}
