package io.askexpert.mockllm;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A local LLM server speaking the Anthropic Messages API ({@code POST /v1/messages}) and the
 * OpenAI chat-completions API ({@code POST /v1/chat/completions}), streamed or not, byte for
 * byte in the providers' formats, with usage (cache tokens included) in the final event.
 * Faults come from the model name ({@code mock-429}, {@code mock-500}, {@code mock-stall-first},
 * {@code mock-stall-after-N}, {@code mock-cut-after-N}) or from a {@linkplain #script script}; replies
 * with tool calls are {@linkplain #scenario scripted}, matched on the request.
 * One event-loop thread serves every connection; {@link #close()} stops it.
 */
public final class MockLlmServer implements AutoCloseable {

    private final MockEventLoop loop;
    private final Thread thread;
    private final MockStats.Counters counters = new MockStats.Counters();
    private final MockScript script = new MockScript();
    private final MockRequestLog received = new MockRequestLog();
    private final MockLlmConfig config;

    private MockLlmServer(MockLlmConfig config) throws IOException {
        this.config = config;
        this.loop = new MockEventLoop(config, counters, script, received);
        this.thread = Thread.ofPlatform().name("mock-llm").daemon(true).unstarted(loop);
    }

    /** Binds 127.0.0.1 on the configured port (0: a free one) and starts serving. */
    public static MockLlmServer start(MockLlmConfig config) throws IOException {
        MockLlmServer server = new MockLlmServer(config);
        server.thread.start();
        return server;
    }

    /**
     * Token {@code index} of the built-in filler answer as the mock streams it (a leading space on
     * every token but the first), so a client can check that every token arrived, in order.
     */
    public static String fillerToken(int index) {
        return MockWire.word(MockWire.WORDS, index);
    }

    public int port() {
        return loop.port();
    }

    public MockLlmConfig config() {
        return config;
    }

    /** The Anthropic base URL ({@code ANTHROPIC_BASE_URL}). */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** The OpenAI base URL ({@code OPENAI_BASE_URL}), which includes {@code /v1}. */
    public URI openAiBaseUri() {
        return URI.create("http://127.0.0.1:" + port() + "/v1");
    }

    public MockStats stats() {
        return counters.snapshot(script.pending());
    }

    /** A model request as the mock received it: the path and the body's JSON text. */
    public record Received(String path, String body) {
    }

    /**
     * Queues faults for the next requests, in order ({@code "429", "ok"}: one 429, then a normal
     * answer); with a model, only requests for that model consume them.
     */
    public void script(@Nullable String model, String... faults) {
        List<MockScenario> scenarios = new ArrayList<>();
        for (String f : faults) {
            MockScenario s = MockScenario.fault(f);
            scenarios.add(model == null ? s : s.forModel(model));
        }
        script.add(scenarios);
    }

    /** Adds scenarios after those already scripted; see {@link MockScenario} for how requests are matched. */
    public void scenario(MockScenario... scenarios) {
        script.add(List.of(scenarios));
    }

    /**
     * Makes the filler answers (requests no scenario matches) say {@code text}, one token per word,
     * instead of the built-in sentence; null or blank restores it. Tests use it to send a chosen
     * answer, markup and all, through the real provider clients.
     */
    public void answerWith(@Nullable String text) {
        // Words go into JSON strings as they are (the built-in ones need no escaping), so escape these once here.
        loop.words = text == null || text.isBlank() ? MockWire.WORDS : java.util.Arrays.stream(text.strip().split("\\s+"))
                .map(w -> w.replace("\\", "\\\\").replace("\"", "\\\"")).toArray(String[]::new);
    }

    /** Clears every scripted scenario. */
    public void resetScript() {
        script.clear();
    }

    /** The last model requests received (at most 256), oldest first. */
    public List<Received> received() {
        return received.snapshot();
    }

    public void resetStats() {
        counters.reset();
        received.clear();
    }

    /** Blocks until the server stops (the {@code mock-llm} command runs until killed). */
    public void join() throws InterruptedException {
        thread.join();
    }

    @Override
    public void close() {
        loop.stop();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
