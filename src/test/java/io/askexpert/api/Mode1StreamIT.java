package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.StrictSse;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * A normal Mode 1 answer over HTTP in both wire formats (api.md §4, §5.1, §5.3): the event order,
 * every field name of every event, the provider's streamed usage in {@code cost}, the answer and
 * its citations stored in the session, and {@code /query} billing the same as {@code /stream}.
 */
class Mode1StreamIT extends Mode1Fixture {

    static final Set<String> PASSAGE_FIELDS = Set.of("id", "index", "source", "title", "excerpt", "url", "confidence",
            "document_id", "chunk_id", "metadata");

    static Set<String> fields(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.propertyNames().forEach(names::add);
        return names;
    }

    boolean anthropic(String expert) {
        return expert.equals(CLAUDE_EXPERT);
    }

    BigDecimal price(String expert, JsonNode cost) {
        return anthropic(expert) ? claudePrice(cost) : gptPrice(cost);
    }

    @ParameterizedTest
    @ValueSource(strings = {CLAUDE_EXPERT, GPT_EXPERT})
    void streams_a_cited_answer_in_the_documented_order_with_the_documented_fields(String expert) throws Exception {
        Streamed s = stream(body(expert));

        assertThat(String.join(" ", s.names()))
                .matches("run agent_selected( reasoning)* sources( token)+( citation)+ cost done");

        JsonNode run = s.only("run");
        assertThat(fields(run)).containsExactlyInAnyOrder("run_id", "session_id", "mode");
        assertThat(run.get("run_id").asString()).startsWith("run_").isEqualTo(s.response().header("X-Run-ID").orElseThrow());
        assertThat(run.get("mode").asString()).isEqualTo("mode1_manual_interactive");
        String sessionId = run.get("session_id").asString();
        assertThat(sessionId).isNotBlank();

        JsonNode agent = s.only("agent_selected").get("agent");
        assertThat(fields(agent)).containsExactlyInAnyOrder("id", "name", "level", "specialty", "score");
        assertThat(agent.get("name").asString()).isEqualTo("CMC Regulatory Expert");
        assertThat(agent.get("level").asInt()).isEqualTo(2);
        assertThat(agent.get("specialty").asString()).isEqualTo("IND chemistry, manufacturing and controls");

        List<StrictSse.Event> reasoning = s.named("reasoning");
        assertThat(reasoning).isNotEmpty().allSatisfy(r -> {
            assertThat(fields(r.json())).containsExactlyInAnyOrder("step", "agent", "agentId", "agentLevel", "content",
                    "status", "durationMs");
            assertThat(r.json().get("agentId").asString()).isEqualTo(agent.get("id").asString());
            assertThat(r.json().get("agentLevel").asInt()).isEqualTo(2);
        });
        assertThat(reasoning).extracting(r -> r.json().get("step").asString()).contains("rag_retrieval");

        JsonNode items = s.only("sources").get("items");
        assertThat(items.size()).isBetween(1, 6);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            assertThat(fields(item)).isEqualTo(PASSAGE_FIELDS);
            assertThat(item.get("index").asInt()).isEqualTo(i + 1);
            assertThat(item.get("title").asString()).isIn("IND CMC section contents", "Stability data for early phase INDs");
            assertThat(item.get("url").asString()).startsWith("https://example.org/ind-cmc");
            assertThat(item.get("document_id").asString()).isNotBlank();
            assertThat(item.get("chunk_id").asString()).isNotBlank();
            assertThat(item.get("excerpt").asString()).isNotBlank();
            assertThat(item.get("metadata").isObject()).isTrue();
        }

        List<StrictSse.Event> tokens = s.named("token");
        assertThat(tokens).hasSize(ANSWER_TOKENS).allSatisfy(t ->
                assertThat(fields(t.json())).containsExactlyInAnyOrder("content", "tokenIndex"));
        assertThat(tokens).extracting(t -> t.json().get("tokenIndex").asInt())
                .containsExactlyElementsOf(IntStream.range(0, ANSWER_TOKENS).boxed().toList());
        assertThat(s.text()).startsWith("Regulatory guidance expects a complete CMC section").contains("[1].");

        // The answer cites [1] only, so exactly that passage is a citation, in the shape of sources.items[].
        assertThat(s.named("citation")).hasSize(1);
        assertThat(s.only("citation")).isEqualTo(items.get(0));

        JsonNode cost = s.only("cost");
        assertThat(fields(cost)).containsExactlyInAnyOrder("inputTokens", "outputTokens", "cacheReadTokens",
                "cacheWriteTokens", "totalTokens", "estimatedCost", "currentCost", "budgetLimit");
        assertThat(cost.get("outputTokens").asLong()).isEqualTo(ANSWER_TOKENS);
        assertThat(cost.get("inputTokens").asLong()).isPositive();
        assertThat(cost.get("cacheReadTokens").asLong()).isEqualTo(CACHE_READ);
        // Anthropic reports cache writes; OpenAI has none (and counts cached tokens inside prompt_tokens).
        assertThat(cost.get("cacheWriteTokens").asLong()).isEqualTo(anthropic(expert) ? CACHE_WRITE : 0);
        assertThat(cost.get("totalTokens").asLong()).isEqualTo(cost.get("inputTokens").asLong()
                + ANSWER_TOKENS + CACHE_READ + cost.get("cacheWriteTokens").asLong());
        BigDecimal estimated = cost.get("estimatedCost").decimalValue();
        assertThat(estimated).isPositive().isEqualByComparingTo(price(expert, cost));
        assertThat(cost.get("currentCost").decimalValue()).as("a new session costs this answer only")
                .isEqualByComparingTo(estimated);
        assertThat(cost.get("budgetLimit").isNull()).isTrue();

        JsonNode done = s.only("done");
        assertThat(fields(done)).containsExactlyInAnyOrder("success", "session_id", "message_id", "run_id",
                "response_time_ms", "totalTokens", "cost");
        assertThat(done.get("success").asBoolean()).isTrue();
        assertThat(done.get("session_id").asString()).isEqualTo(sessionId);
        assertThat(done.get("run_id").asString()).isEqualTo(run.get("run_id").asString());
        assertThat(done.get("totalTokens").asLong()).isEqualTo(cost.get("totalTokens").asLong());
        assertThat(done.get("cost").decimalValue()).isEqualByComparingTo(estimated);
        assertThat(done.get("response_time_ms").asLong()).isNotNegative();

        JsonNode session = getJson("/api/v1/expert/sessions/" + sessionId);
        assertThat(session.get("title").asString()).isNotBlank();
        assertThat(session.get("agent_id").asString()).isEqualTo(agent.get("id").asString());
        assertThat(session.get("total_cost_usd").decimalValue()).isEqualByComparingTo(estimated);
        JsonNode messages = session.get("messages");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).get("role").asString()).isEqualTo("user");
        assertThat(messages.get(0).get("content").asString()).isEqualTo(QUESTION);
        JsonNode answer = messages.get(1);
        assertThat(answer.get("role").asString()).isEqualTo("assistant");
        assertThat(answer.get("message_id").asString()).isEqualTo(done.get("message_id").asString());
        assertThat(answer.get("content").asString()).isEqualTo(s.text());
        assertThat(answer.get("cost").decimalValue()).isEqualByComparingTo(estimated);
        assertThat(answer.get("citations")).hasSize(1);
        assertThat(answer.get("citations").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(answer.get("citations").get(0).get("chunk_id").asString()).isEqualTo(items.get(0).get("chunk_id").asString());

        assertThat(MOCK.stats().requests()).isEqualTo(1);
        assertThat(MOCK.stats().byFault()).containsExactly(Map.entry("ok", 1L));
    }

    @Test
    void both_wire_formats_bill_the_same_prompt_once_each_way() {
        JsonNode anthropic = stream(body(CLAUDE_EXPERT)).only("cost");
        JsonNode openai = stream(body(GPT_EXPERT)).only("cost");
        // Same system prompt, question and passages: Anthropic's input_tokens excludes cached tokens,
        // OpenAI's prompt_tokens includes them, and the service must bring both to the same count.
        assertThat(openai.get("inputTokens").asLong()).isEqualTo(anthropic.get("inputTokens").asLong());
        assertThat(openai.get("cacheReadTokens").asLong()).isEqualTo(anthropic.get("cacheReadTokens").asLong());
    }

    @ParameterizedTest
    @ValueSource(strings = {CLAUDE_EXPERT, GPT_EXPERT})
    void query_returns_the_streamed_answer_at_the_same_cost(String expert) throws Exception {
        Streamed streamed = stream(body(expert));
        JsonNode streamedCost = streamed.only("cost");

        HttpResponse<String> response = send("POST", QUERY, bearer(), body(expert));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode query = JSON.readTree(response.body());
        assertThat(fields(query)).contains("response", "citations", "reasoning", "confidence", "session_id",
                "message_id", "cost", "response_time_ms");

        JsonNode cost = query.get("cost");
        for (String field : List.of("inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "totalTokens")) {
            assertThat(cost.get(field).asLong()).as(field).isEqualTo(streamedCost.get(field).asLong());
        }
        assertThat(cost.get("estimatedCost").decimalValue()).isPositive()
                .isEqualByComparingTo(streamedCost.get("estimatedCost").decimalValue());
        assertThat(query.get("response").asString()).isEqualTo(streamed.text());
        assertThat(query.get("citations")).containsExactly(streamed.only("citation"));
        assertThat(query.get("reasoning").size()).isEqualTo(streamed.named("reasoning").size());
        assertThat(query.get("confidence").asDouble()).isBetween(0.0, 1.0);
        assertThat(query.get("session_id").asString()).isNotEqualTo(streamed.only("run").get("session_id").asString());

        JsonNode stored = getJson("/api/v1/expert/sessions/" + query.get("session_id").asString()).get("messages");
        assertThat(stored).hasSize(2);
        assertThat(stored.get(1).get("message_id").asString()).isEqualTo(query.get("message_id").asString());
        assertThat(stored.get(1).get("cost").decimalValue()).isEqualByComparingTo(cost.get("estimatedCost").decimalValue());
        assertThat(MOCK.stats().byFault()).containsExactly(Map.entry("ok", 2L));
    }

    @Test
    void a_follow_up_in_the_session_is_answered_with_its_stored_history_and_adds_to_its_cost() throws Exception {
        Streamed first = stream(body(CLAUDE_EXPERT));
        String sessionId = first.only("run").get("session_id").asString();
        BigDecimal firstCost = first.only("cost").get("estimatedCost").decimalValue();

        Streamed second = stream(body(CLAUDE_EXPERT, "And what stability data is expected at phase 1?",
                Map.of("session_id", sessionId)));

        assertThat(second.only("run").get("session_id").asString()).isEqualTo(sessionId);
        assertThat(second.named("reasoning")).extracting(r -> r.json().get("content").asString())
                .anySatisfy(c -> assertThat(c).contains("this session's 2 earlier turns"));
        JsonNode cost = second.only("cost");
        assertThat(cost.get("inputTokens").asLong()).as("the history is sent with the question")
                .isGreaterThan(first.only("cost").get("inputTokens").asLong());
        assertThat(cost.get("currentCost").decimalValue())
                .isEqualByComparingTo(firstCost.add(cost.get("estimatedCost").decimalValue()));
        assertThat(getJson("/api/v1/expert/sessions/" + sessionId).get("messages")).hasSize(4);
    }

    @Test
    void citations_and_reasoning_can_be_left_out() {
        Streamed s = stream(body(GPT_EXPERT, QUESTION,
                Map.of("options", Map.of("include_citations", false, "include_reasoning", false))));
        assertThat(String.join(" ", s.names())).matches("run agent_selected( token)+ cost done");
        // The model still read the passages: its answer quotes [1] even though no event lists them.
        assertThat(s.text()).contains("[1].");
    }
}
