package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.askexpert.testsupport.StrictSse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Mode 1 when the provider fails, in both wire formats: before the first token a 429 (after its
 * {@code Retry-After}), a 500 or a stall moves to {@code LLM_FALLBACK_MODEL} and the client gets a
 * normal answer; when every model fails, and whenever the stream breaks after the first token,
 * the stream ends with an explicit {@code error} event, never a silent cut.
 */
class Mode1FailoverIT extends Mode1Fixture {

    static final String ANSWERED = "run agent_selected( reasoning)* sources( token)+( citation)+ cost done";
    static final String FAILED_BEFORE_ANSWERING = "run agent_selected( reasoning)* sources cost error";

    /** The run's costs as {@code GET /costs} reports them: who was billed for what. */
    JsonNode costs(String runId) throws Exception {
        return getJson("/api/v1/expert/costs?run_id=" + runId);
    }

    /** Checks the fallback model answered and was billed, and the answer was stored. */
    void answeredByTheFallback(Streamed s) throws Exception {
        assertThat(String.join(" ", s.names())).matches(ANSWERED);
        assertThat(s.named("token")).hasSize(ANSWER_TOKENS);
        JsonNode cost = s.only("cost");
        assertThat(cost.get("cacheWriteTokens").asLong()).as("the OpenAI fallback reports no cache writes").isZero();
        assertThat(cost.get("estimatedCost").decimalValue()).isPositive().isEqualByComparingTo(fallbackPrice(cost));
        JsonNode byModel = costs(s.only("run").get("run_id").asString()).get("by_model");
        assertThat(byModel).hasSize(1);
        assertThat(byModel.get(0).get("model").asString()).isEqualTo(FALLBACK);
        assertThat(byModel.get(0).get("provider").asString()).isEqualTo("openai");
        JsonNode messages = getJson("/api/v1/expert/sessions/" + s.only("done").get("session_id").asString()).get("messages");
        assertThat(messages).hasSize(2);
        assertThat(messages.get(1).get("content").asString()).isEqualTo(s.text());
    }

    static JsonNode error(Streamed s) {
        StrictSse.Event terminal = s.terminal();
        assertThat(terminal.name()).as(s.names().toString()).isEqualTo("error");
        assertThat(terminal.json().get("code").asString()).isEqualTo("LLM_ERROR");
        assertThat(terminal.json().get("message").asString()).isNotBlank();
        assertThat(terminal.json().get("recoverable").isBoolean()).isTrue();
        return terminal.json();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({CLAUDE_EXPERT + "," + CLAUDE, GPT_EXPERT + "," + GPT})
    void a_429_is_retried_after_its_retry_after_then_the_fallback_answers(String expert, String model) throws Exception {
        MOCK.script(model, "429:1", "429:1");
        long started = System.nanoTime();
        Streamed s = stream(body(expert));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        answeredByTheFallback(s);
        assertThat(MOCK.stats().byFault()).containsExactlyInAnyOrderEntriesOf(Map.of("429", 2L, "ok", 1L));
        // One retry of the rate-limited model, after the provider's Retry-After (1 s), not the 20 ms backoff.
        assertThat(elapsedMs).isGreaterThanOrEqualTo(950);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({CLAUDE_EXPERT + "," + CLAUDE, GPT_EXPERT + "," + GPT})
    void a_429_on_every_model_ends_with_an_error_event_carrying_its_retry_after(String expert, String model) {
        // 31 s is longer than the service waits for a Retry-After (30 s), so nothing is retried.
        MOCK.script(model, "429:31");
        MOCK.script(FALLBACK, "429:31");
        Streamed s = stream(body(expert));

        assertThat(String.join(" ", s.names())).matches(FAILED_BEFORE_ANSWERING);
        JsonNode error = error(s);
        assertThat(error.get("recoverable").asBoolean()).isTrue();
        assertThat(error.get("retryAfterMs").asLong()).isEqualTo(31_000);
        assertThat(MOCK.stats().byFault()).containsExactly(Map.entry("429", 2L));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({CLAUDE_EXPERT + "," + CLAUDE, GPT_EXPERT + "," + GPT})
    void a_500_is_retried_once_then_the_fallback_answers(String expert, String model) throws Exception {
        MOCK.script(model, "500", "500");
        answeredByTheFallback(stream(body(expert)));
        assertThat(MOCK.stats().byFault()).containsExactlyInAnyOrderEntriesOf(Map.of("500", 2L, "ok", 1L));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({CLAUDE_EXPERT + "," + CLAUDE, GPT_EXPERT + "," + GPT})
    void a_stall_before_the_first_token_times_out_and_the_fallback_answers(String expert, String model) throws Exception {
        MOCK.script(model, "stall-first");
        long started = System.nanoTime();
        Streamed s = stream(body(expert));
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        answeredByTheFallback(s);
        // The stalled model is not retried: waiting on it again would only double the wait.
        assertThat(MOCK.stats().byFault()).containsExactlyInAnyOrderEntriesOf(Map.of("stall-first", 1L, "ok", 1L));
        assertThat(elapsedMs).isGreaterThanOrEqualTo(FIRST_TOKEN_TIMEOUT.toMillis());
        // The service hung up on the stalled response instead of leaving it open at the provider.
        await().atMost(Duration.ofSeconds(5)).until(() -> MOCK.stats().clientClosed() == 1);
    }

    @Test
    void a_stall_on_every_model_ends_with_an_error_event_before_any_token() {
        MOCK.script(CLAUDE, "stall-first");
        MOCK.script(FALLBACK, "stall-first");
        Streamed s = stream(body(CLAUDE_EXPERT));

        assertThat(String.join(" ", s.names())).matches(FAILED_BEFORE_ANSWERING);
        assertThat(error(s).get("recoverable").asBoolean()).isTrue();
        assertThat(s.only("cost").get("outputTokens").asLong()).isZero();
        assertThat(MOCK.stats().byFault()).containsExactly(Map.entry("stall-first", 2L));
        await().atMost(Duration.ofSeconds(5)).until(() -> MOCK.stats().clientClosed() == 2
                && MOCK.stats().activeStreams() == 0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({CLAUDE_EXPERT + "," + CLAUDE, GPT_EXPERT + "," + GPT})
    void a_cut_after_the_first_tokens_ends_with_an_error_event_and_no_fallback(String expert, String model)
            throws Exception {
        MOCK.script(model, "cut-after-3");
        Streamed s = stream(body(expert));

        assertThat(String.join(" ", s.names())).matches("run agent_selected( reasoning)* sources token token token cost error");
        JsonNode error = error(s);
        assertThat(error.get("message").asString()).contains("broke off");
        // After the first token nothing is retried or sent to the fallback: the client already has text.
        assertThat(MOCK.stats().requests()).isEqualTo(1);
        assertThat(MOCK.stats().byFault()).containsExactly(Map.entry("cut-after", 1L));
        assertThat(s.only("cost").get("outputTokens").asLong()).as("partial usage is billed").isEqualTo(3);

        String runId = s.only("run").get("run_id").asString();
        assertThat(replay(runId)).extracting(StrictSse.Event::data)
                .as("the run log ends the same way for a client that resumes")
                .containsExactlyElementsOf(s.events().stream().map(StrictSse.Event::data).toList());
        JsonNode session = getJson("/api/v1/expert/sessions/" + s.only("run").get("session_id").asString());
        assertThat(s.only("cost").get("estimatedCost").decimalValue()).isPositive();
        assertThat(session.get("total_cost_usd").decimalValue()).as("the session's total includes the billed partial answer")
                .isEqualByComparingTo(s.only("cost").get("currentCost").decimalValue());
        JsonNode messages = session.get("messages");
        assertThat(messages).as("the question is kept, a broken answer is not stored as the answer").hasSize(1);
        assertThat(messages.get(0).get("role").asString()).isEqualTo("user");
    }

    @Test
    void query_is_a_502_llm_error_when_every_model_fails_or_the_answer_breaks_off() throws Exception {
        MOCK.script(GPT, "500", "500");
        MOCK.script(FALLBACK, "500", "500");
        MOCK.script(CLAUDE, "cut-after-3");
        for (String expert : new String[] {GPT_EXPERT, CLAUDE_EXPERT}) {
            HttpResponse<String> response = send("POST", QUERY, bearer(), body(expert));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            JsonNode error = JSON.readTree(response.body()).get("error");
            assertThat(error.get("code").asString()).isEqualTo("LLM_ERROR");
            assertThat(error.get("message").asString()).contains(expert.equals(CLAUDE_EXPERT) ? "broke off" : "failed");
            assertThat(error.get("details").get("run_id").asString()).startsWith("run_");
        }
        assertThat(MOCK.stats().byFault()).containsExactlyInAnyOrderEntriesOf(Map.of("500", 4L, "cut-after", 1L));
    }
}
