package io.askexpert.cli;

import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the mock LLM server (Anthropic and OpenAI wire formats) until killed; no Spring, no database. */
@Command(name = "mock-llm", description = "Serve a mock LLM (Anthropic Messages and OpenAI chat completions) for tests and benchmarks.")
final class MockLlmCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "8089", description = "port on 127.0.0.1 (0: any free port); default ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--ttft-ms", defaultValue = "200", description = "time to first token, ms; default ${DEFAULT-VALUE}")
    long ttftMs;

    @Option(names = "--tokens-per-second", defaultValue = "50", description = "tokens per second per stream; default ${DEFAULT-VALUE}")
    int tokensPerSecond;

    @Option(names = "--answer-tokens", defaultValue = "100", description = "tokens per answer; default ${DEFAULT-VALUE}")
    int answerTokens;

    @Option(names = "--cache-read-tokens", defaultValue = "0", description = "cache read tokens reported in usage")
    long cacheReadTokens;

    @Option(names = "--cache-write-tokens", defaultValue = "0", description = "cache write tokens reported in usage (Anthropic)")
    long cacheWriteTokens;

    @Option(names = "--stall-limit-s", defaultValue = "120", description = "seconds a stalled response stays open")
    long stallLimitSeconds;

    @Override
    public Integer call() throws Exception {
        MockLlmConfig config = new MockLlmConfig(port, Duration.ofMillis(ttftMs), tokensPerSecond, answerTokens,
                cacheReadTokens, cacheWriteTokens, Duration.ofSeconds(stallLimitSeconds));
        try (MockLlmServer server = MockLlmServer.start(config)) {
            System.out.printf("Mock LLM on %s: Anthropic POST /v1/messages, OpenAI POST /v1/chat/completions, "
                            + "stats GET /_mock/stats (TTFT %d ms, %d tokens/s, %d tokens)%n",
                    server.baseUri(), ttftMs, tokensPerSecond, answerTokens);
            System.out.flush();
            server.join();
        }
        return 0;
    }
}
