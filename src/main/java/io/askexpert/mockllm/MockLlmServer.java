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
 * {@code mock-stall-after-N}, {@code mock-cut-after-N}) or from a {@linkplain #script script}.
 * One event-loop thread serves every connection; {@link #close()} stops it.
 */
public final class MockLlmServer implements AutoCloseable {

    private final MockEventLoop loop;
    private final Thread thread;
    private final MockStats.Counters counters = new MockStats.Counters();
    private final FaultPlan plan = new FaultPlan();
    private final MockLlmConfig config;

    private MockLlmServer(MockLlmConfig config) throws IOException {
        this.config = config;
        this.loop = new MockEventLoop(config, counters, plan);
        this.thread = Thread.ofPlatform().name("mock-llm").daemon(true).unstarted(loop);
    }

    /** Binds 127.0.0.1 on the configured port (0: a free one) and starts serving. */
    public static MockLlmServer start(MockLlmConfig config) throws IOException {
        MockLlmServer server = new MockLlmServer(config);
        server.thread.start();
        return server;
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
        return counters.snapshot(plan.pending());
    }

    /**
     * Queues faults for the next requests, in order ({@code "429", "ok"}: one 429, then a normal
     * answer); with a model, only requests for that model consume them.
     */
    public void script(@Nullable String model, String... faults) {
        List<Fault> parsed = new ArrayList<>();
        for (String f : faults) {
            parsed.add(Fault.parse(f).orElseThrow(() -> new IllegalArgumentException("unknown fault '" + f + "'")));
        }
        plan.add(model, parsed);
    }

    /**
     * Makes the following answers say {@code text} (split into one token per word), instead of
     * the built-in sentence; null or blank restores it. Tests use it to send a chosen answer,
     * markup and all, through the real provider clients.
     */
    public void answerWith(@Nullable String text) {
        // Words go into JSON strings as they are (the built-in ones need no escaping), so escape these once here.
        loop.words = text == null || text.isBlank() ? MockWire.WORDS : java.util.Arrays.stream(text.strip().split("\\s+"))
                .map(w -> w.replace("\\", "\\\\").replace("\"", "\\\"")).toArray(String[]::new);
    }

    public void resetScript() {
        plan.clear();
    }

    public void resetStats() {
        counters.reset();
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
