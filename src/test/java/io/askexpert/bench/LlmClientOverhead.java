package io.askexpert.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.askexpert.config.LlmSettings;
import io.askexpert.config.Secret;
import io.askexpert.llm.LlmEvent;
import io.askexpert.llm.LlmGateway;
import io.askexpert.llm.LlmRequest;
import io.askexpert.llm.LlmTool;
import io.askexpert.llm.LlmToolChoice;
import io.askexpert.llm.PriceTable;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each way of speaking the providers' wire formats costs per streamed answer (a benchmark,
 * not a test): the project's hand-written providers behind the whole {@link LlmGateway} (retries,
 * breaker, watchdog, metrics included) against LangChain4j's {@code AnthropicStreamingChatModel}
 * and {@code OpenAiStreamingChatModel} called bare, on the same answers from a mock LLM running in
 * its own JVM (so this JVM's CPU and allocation are the client's alone). Two answers: 64 text
 * tokens, and a tool turn (17 words, then two tool calls whose inputs stream in 6-character
 * fragments). Per answer: time to the first text token (the mock answers at once, so this is the
 * client's added time plus loopback), time to the end, process CPU and heap allocated.
 *
 * <p>Run after {@code ./mvnw -o -q test-compile} with the test classpath
 * ({@code ./mvnw -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt}):
 * {@code java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.askexpert.bench.LlmClientOverhead [answers] [repeats] [client name part]}.
 */
public final class LlmClientOverhead {

    private static final String QUESTION = "What does FDA expect in the CMC section of an IND? TOOLS";
    private static final Map<String, Object> SEARCH_SCHEMA = Map.of("type", "object", "properties",
            Map.of("query", Map.of("type", "string"), "top_k", Map.of("type", "integer")), "required", List.of("query"));
    private static final Map<String, Object> CALC_SCHEMA = Map.of("type", "object", "properties",
            Map.of("expression", Map.of("type", "string")), "required", List.of("expression"));
    private static final String TOOL_SCENARIO = """
            {"match": {"body_contains": "TOOLS"}, "repeat": true, "response": {
              "text": "I will search the guidance for the CMC expectations and then total the batch counts for you.",
              "tool_calls": [
                {"name": "knowledge_search", "input": {"query": "FDA IND CMC section drug substance stability", "top_k": 8}},
                {"name": "calculator", "input": {"expression": "(12 + 7) * 3 - 4 / 2"}}]}}""";

    /** One streamed answer as a client saw it. */
    private record Sample(long firstTokenNanos, long totalNanos, int textDeltas, int toolCalls) {
    }

    /** A client under measurement: streams one answer, blocking until it ended. */
    private interface Client {
        Sample answer(boolean tools) throws Exception;
    }

    private LlmClientOverhead() {
    }

    public static void main(String[] args) throws Exception {
        int answers = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String only = args.length > 2 ? args[2] : "";
        Process mock = startMock();
        try {
            int port = mockPort(mock);
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/_mock/scenarios"))
                    .POST(HttpRequest.BodyPublishers.ofString(TOOL_SCENARIO)).build(), HttpResponse.BodyHandlers.ofString());
            try (LlmGateway gateway = gateway(base)) {
                Map<String, Client> clients = new java.util.LinkedHashMap<>();
                clients.put("hand-written, Anthropic", tools -> viaGateway(gateway, "claude-sonnet-4-20250514", tools));
                clients.put("LangChain4j, Anthropic", langChain4j(AnthropicStreamingChatModel.builder()
                        .baseUrl(base + "/v1/").apiKey("bench").modelName("claude-sonnet-4-20250514").maxTokens(1024)
                        .build()));
                clients.put("hand-written, OpenAI", tools -> viaGateway(gateway, "gpt-4o-mini", tools));
                clients.put("LangChain4j, OpenAI", langChain4j(OpenAiStreamingChatModel.builder()
                        .baseUrl(base + "/v1").apiKey("bench").modelName("gpt-4o-mini").maxTokens(1024).build()));
                clients.keySet().removeIf(name -> !name.contains(only));
                for (boolean tools : new boolean[] {false, true}) {
                    measure(clients, tools, answers, repeats);
                }
            }
        } finally {
            mock.destroy();
            mock.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void measure(Map<String, Client> clients, boolean tools, int answers, int repeats) throws Exception {
        System.out.printf("%n%s, %d answers x %d repeats, sequential%n", tools ? "tool turn (text + 2 tool calls)"
                : "text answer (64 tokens)", answers, repeats);
        System.out.printf("%-26s %12s %12s %12s %14s %16s%n", "client", "TTFT p50 us", "TTFT p99 us",
                "total p50 us", "CPU us/answer", "alloc KiB/answer");
        for (Client c : clients.values()) {
            for (int i = 0; i < Math.max(200, answers); i++) {
                c.answer(tools);
            }
        }
        Map<String, List<long[]>> firsts = new java.util.LinkedHashMap<>();
        Map<String, List<long[]>> totals = new java.util.LinkedHashMap<>();
        Map<String, List<Double>> cpu = new java.util.LinkedHashMap<>();
        Map<String, List<Double>> alloc = new java.util.LinkedHashMap<>();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int r = 0; r < repeats; r++) {
            // Interleaved, so a noisy moment on a shared machine is spread over every client.
            for (Map.Entry<String, Client> e : clients.entrySet()) {
                long[] first = new long[answers];
                long[] total = new long[answers];
                System.gc();
                long cpu0 = os.getProcessCpuTime();
                long alloc0 = threads.getTotalThreadAllocatedBytes();
                for (int i = 0; i < answers; i++) {
                    Sample s = e.getValue().answer(tools);
                    check(e.getKey(), s, tools);
                    first[i] = s.firstTokenNanos();
                    total[i] = s.totalNanos();
                }
                cpu.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add((os.getProcessCpuTime() - cpu0) / 1e3 / answers);
                alloc.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                        .add((threads.getTotalThreadAllocatedBytes() - alloc0) / 1024.0 / answers);
                firsts.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(first);
                totals.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(total);
            }
        }
        for (String name : clients.keySet()) {
            long[] first = firsts.get(name).stream().flatMapToLong(Arrays::stream).toArray();
            long[] total = totals.get(name).stream().flatMapToLong(Arrays::stream).toArray();
            System.out.printf("%-26s %12.0f %12.0f %12.0f %14.0f %16.1f%n", name, micros(first, 0.50),
                    micros(first, 0.99), micros(total, 0.50), median(cpu.get(name)), median(alloc.get(name)));
        }
    }

    private static void check(String client, Sample s, boolean tools) {
        boolean ok = tools ? s.toolCalls() == 2 && s.textDeltas() == 17 : s.textDeltas() == 64 && s.toolCalls() == 0;
        if (!ok) {
            throw new IllegalStateException(client + " read " + s + ", not the mock's answer");
        }
    }

    private static Sample viaGateway(LlmGateway gateway, String model, boolean tools) throws Exception {
        LlmRequest request = LlmRequest.of(model, "You are a regulatory expert.", QUESTION.replace(" TOOLS",
                tools ? " TOOLS" : ""), 1024);
        if (tools) {
            request = request.withTools(List.of(new LlmTool("knowledge_search", "Search the knowledge base.", SEARCH_SCHEMA),
                    new LlmTool("calculator", "Evaluate arithmetic.", CALC_SCHEMA)), LlmToolChoice.AUTO);
        }
        AtomicLong first = new AtomicLong();
        AtomicInteger deltas = new AtomicInteger();
        long start = System.nanoTime();
        LlmEvent.Terminal end = gateway.stream(request, event -> {
            if (event instanceof LlmEvent.TextDelta && deltas.getAndIncrement() == 0) {
                first.set(System.nanoTime());
            }
        }).terminal().get(30, TimeUnit.SECONDS);
        long done = System.nanoTime();
        if (!(end instanceof LlmEvent.Completed c)) {
            throw new IllegalStateException("the gateway failed: " + end);
        }
        return new Sample(first.get() - start, done - start, deltas.get(), c.toolCalls().size());
    }

    private static Client langChain4j(StreamingChatModel model) {
        List<ToolSpecification> specs = List.of(
                ToolSpecification.builder().name("knowledge_search").description("Search the knowledge base.")
                        .parameters(JsonObjectSchema.builder().addStringProperty("query").addIntegerProperty("top_k")
                                .required("query").build()).build(),
                ToolSpecification.builder().name("calculator").description("Evaluate arithmetic.")
                        .parameters(JsonObjectSchema.builder().addStringProperty("expression").required("expression")
                                .build()).build());
        return tools -> {
            ChatRequest.Builder request = ChatRequest.builder().messages(
                    dev.langchain4j.data.message.SystemMessage.from("You are a regulatory expert."),
                    UserMessage.from(QUESTION.replace(" TOOLS", tools ? " TOOLS" : "")));
            if (tools) {
                request.toolSpecifications(specs);
            }
            AtomicLong first = new AtomicLong();
            AtomicInteger deltas = new AtomicInteger();
            AtomicInteger calls = new AtomicInteger();
            CompletableFuture<ChatResponse> end = new CompletableFuture<>();
            long start = System.nanoTime();
            model.chat(request.build(), new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String partial) {
                    if (deltas.getAndIncrement() == 0) {
                        first.set(System.nanoTime());
                    }
                }

                @Override
                public void onCompleteToolCall(CompleteToolCall call) {
                    calls.incrementAndGet();
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    end.complete(response);
                }

                @Override
                public void onError(Throwable error) {
                    end.completeExceptionally(error);
                }
            });
            ChatResponse response = end.get(30, TimeUnit.SECONDS);
            long done = System.nanoTime();
            int toolCalls = Math.max(calls.get(), response.aiMessage().hasToolExecutionRequests()
                    ? response.aiMessage().toolExecutionRequests().size() : 0);
            return new Sample(first.get() - start, done - start, deltas.get(), toolCalls);
        };
    }

    private static LlmGateway gateway(URI mock) {
        LlmSettings settings = new LlmSettings(Secret.of("bench"), mock, "claude-sonnet-4-20250514",
                Secret.of("bench"), mock.resolve("/v1"), "gpt-4o-mini", "", Duration.ofSeconds(5), Duration.ofSeconds(20),
                Duration.ofSeconds(15), 0, Duration.ofMillis(250), Duration.ofSeconds(30), "", 10, 50,
                Duration.ofSeconds(30), System.getProperty("llm.http-client", "jdk"));
        return new LlmGateway(settings, PriceTable.load(Optional.empty()), new SimpleMeterRegistry());
    }

    private static Process startMock() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "io.askexpert.AskExpertApplication", "mock-llm", "--port", "0", "--ttft-ms", "0",
                "--tokens-per-second", "20000", "--answer-tokens", "64").redirectErrorStream(true).start();
    }

    private static int mockPort(Process mock) throws Exception {
        Pattern port = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)");
        BufferedReader out = new BufferedReader(new InputStreamReader(mock.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = port.matcher(line);
            if (m.find()) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
                return Integer.parseInt(m.group(1));
            }
        }
        throw new IllegalStateException("the mock did not start");
    }

    private static double micros(long[] nanos, double q) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)] / 1e3;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
