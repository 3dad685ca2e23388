package io.askexpert.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.auth.TenantContext;
import io.askexpert.database.Migrations;
import io.askexpert.knowledge.DocumentInput;
import io.askexpert.knowledge.KnowledgeBase;
import io.askexpert.knowledge.Source;
import io.askexpert.knowledge.TextEmbedder;
import io.askexpert.observability.Tracing;
import io.askexpert.outbound.AddressPolicy;
import io.askexpert.outbound.AllowedHosts;
import io.askexpert.outbound.HostResolver;
import io.askexpert.outbound.OutboundHttp;
import io.askexpert.testsupport.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in tools against real things: {@code http_post} (through the outbound address policy,
 * which the tests open for the receiver's loopback address only) against a local HTTP server that honours
 * idempotency keys the way payment and ticketing APIs do (a key seen before gets the first answer
 * back and changes nothing), and {@code knowledge_search} against a knowledge base on PostgreSQL.
 */
class ToolsIT {

    private static HttpServer server;
    private static int port;
    /** The receiver's state: the effects it applied and the answer stored per idempotency key. */
    private static final AtomicInteger effects = new AtomicInteger();
    private static final Map<String, String> answers = new ConcurrentHashMap<>();
    private static final AtomicInteger redirectTargetHits = new AtomicInteger();

    private static TestPostgres db;
    private static HikariDataSource dataSource;
    private static TextEmbedder embedder;
    private static KnowledgeBase knowledge;
    @TempDir
    static Path dataDir;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/tickets", ToolsIT::createTicket);
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(Duration.ofSeconds(30));
                respond(exchange, 200, "late");
            } catch (InterruptedException | IOException e) {
                // the server is stopping, or the client is gone
            }
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + port + "/target");
            respond(exchange, 302, "");
        });
        server.createContext("/target", exchange -> {
            redirectTargetHits.incrementAndGet();
            respond(exchange, 200, "followed");
        });
        server.createContext("/huge", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                byte[] block = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 40; i++) { // 2.5 MiB
                    out.write(block);
                }
            } catch (IOException e) {
                // the client stopped reading at its cap
            }
        });
        server.start();
        port = server.getAddress().getPort();

        db = TestPostgres.create();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(db.jdbcUrl());
        dataSource.setMaximumPoolSize(4);
        new Migrations(dataSource).upgrade(null);
        embedder = new TextEmbedder();
        knowledge = KnowledgeBase.open(dataSource, embedder, KnowledgeBase.VectorStore.LUCENE, dataDir.resolve("index"));
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        knowledge.close();
        embedder.close();
        dataSource.close();
        db.close();
    }

    /** Applies the effect once per Idempotency-Key; a repeated key gets the stored answer. */
    private static void createTicket(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key == null) {
            respond(exchange, 400, "{\"error\":\"Idempotency-Key required\"}");
            return;
        }
        String answer = answers.computeIfAbsent(key, k -> "{\"ticket\":" + effects.incrementAndGet() + ",\"received\":" + body + "}");
        respond(exchange, 201, answer);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** http_post to {@code destinations}, through an outbound policy that opens only {@code addressAllowed}. */
    private static HttpPostTool httpPost(List<String> destinations, String addressAllowed, Duration timeout) {
        return new HttpPostTool(destinations, new OutboundHttp(new AddressPolicy(AllowedHosts.parse(addressAllowed),
                HostResolver.system()), new OutboundHttp.Limits(timeout, Duration.ofSeconds(5), HttpPostTool.MAX_RESPONSE_BYTES)));
    }

    /** http_post to the test receiver, whose loopback address the operator opened. */
    private static HttpPostTool httpPost(String... destinations) {
        return httpPost(List.of(destinations), "127.0.0.1:" + port, TIMEOUT);
    }

    private static ToolRegistry registry(Tool... tools) {
        return new ToolRegistry(List.of(tools), new Tracing(OpenTelemetry.noop().getTracer("test")), new SimpleMeterRegistry());
    }

    private static ToolInvocation post(String idempotencyKey, String url, Map<String, @Nullable Object> body) {
        return new ToolInvocation("toolu_" + idempotencyKey, idempotencyKey, "tenant-a", "user-1", UUID.randomUUID(),
                Map.of("url", url, "body", body));
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    @Test
    void the_same_idempotency_key_twice_is_one_effect_at_the_receiver() {
        try (ToolRegistry registry = registry(httpPost("127.0.0.1:" + port))) {
            int before = effects.get();
            String key = "mission-" + UUID.randomUUID() + "/step-2/tool/toolu_01";
            ToolResult first = registry.execute("http_post", post(key, url("/tickets"), Map.of("title", "Renew licence")));
            // A takeover after a crash repeats the call with the same key.
            ToolResult again = registry.execute("http_post", post(key, url("/tickets"), Map.of("title", "Renew licence")));
            assertThat(first).isInstanceOfSatisfying(ToolResult.Succeeded.class, s -> {
                assertThat(s.output().value()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                        .containsEntry("status", 201).containsEntry("truncated", false);
            });
            assertThat(((ToolResult.Succeeded) again).output()).isEqualTo(((ToolResult.Succeeded) first).output());
            assertThat(effects.get()).isEqualTo(before + 1);

            registry.execute("http_post", post(key + "-other", url("/tickets"), Map.of("title", "Another")));
            assertThat(effects.get()).isEqualTo(before + 2);
        }
    }

    @Test
    void only_listed_destinations_are_posted_to_and_loopback_only_where_the_address_policy_opens_it() {
        String[][] refusedDestinations = {
                {}, // nothing allowed: the tool is off
                {"example.org"}, // another host
                {"localhost:" + port}, // a name for the same address is a different entry
                {"127.0.0.1:" + (port == 1 ? 2 : port - 1)}, // another port
        };
        for (String[] destinations : refusedDestinations) {
            try (ToolRegistry registry = registry(httpPost(destinations))) {
                int before = effects.get();
                ToolResult result = registry.execute("http_post", post(UUID.randomUUID().toString(), url("/tickets"), Map.of()));
                assertThat(result).as("destinations %s", List.of(destinations)).isInstanceOfSatisfying(ToolResult.Failed.class,
                        f -> assertThat(f.failure()).isEqualTo(ToolFailure.REFUSED));
                assertThat(effects.get()).isEqualTo(before);
            }
        }
        // A listed destination at a loopback address still needs the operator's OUTBOUND_ALLOWED_HOSTS entry.
        for (String destination : new String[] {"127.0.0.1", "127.0.0.1:" + port}) {
            try (ToolRegistry registry = registry(httpPost(List.of(destination), "", TIMEOUT))) {
                int before = effects.get();
                ToolResult result = registry.execute("http_post", post(UUID.randomUUID().toString(), url("/tickets"), Map.of()));
                assertThat(result).isInstanceOfSatisfying(ToolResult.Failed.class, f -> {
                    assertThat(f.failure()).isEqualTo(ToolFailure.REFUSED);
                    assertThat(f.reason()).contains("loopback").contains("OUTBOUND_ALLOWED_HOSTS");
                });
                assertThat(effects.get()).isEqualTo(before);
            }
        }
        try (ToolRegistry registry = registry(httpPost(List.of("localhost"), "", TIMEOUT))) {
            ToolResult viaName = registry.execute("http_post",
                    post(UUID.randomUUID().toString(), "http://localhost:" + port + "/tickets", Map.of()));
            assertThat(viaName).isInstanceOfSatisfying(ToolResult.Failed.class, f -> {
                assertThat(f.failure()).isEqualTo(ToolFailure.REFUSED);
                assertThat(f.reason()).contains("resolves to a loopback address");
            });
        }
        try (ToolRegistry registry = registry(httpPost("127.0.0.1:" + port))) {
            ToolResult metadata = registry.execute("http_post",
                    post(UUID.randomUUID().toString(), "http://169.254.169.254/latest/meta-data/", Map.of()));
            assertThat(metadata).isInstanceOfSatisfying(ToolResult.Failed.class, f -> assertThat(f.failure()).isEqualTo(ToolFailure.REFUSED));
            ToolResult ftp = registry.execute("http_post", post("k", "ftp://127.0.0.1:" + port + "/x", Map.of()));
            assertThat(ftp).isInstanceOfSatisfying(ToolResult.Failed.class, f -> assertThat(f.failure()).isEqualTo(ToolFailure.INVALID_INPUT));
            ToolResult userInfo = registry.execute("http_post", post("k", "http://user:pw@127.0.0.1:" + port + "/tickets", Map.of()));
            assertThat(userInfo).isInstanceOfSatisfying(ToolResult.Failed.class, f -> {
                assertThat(f.failure()).isEqualTo(ToolFailure.INVALID_INPUT);
                assertThat(f.reason()).doesNotContain("pw");
            });
        }
    }

    @Test
    void redirects_are_returned_not_followed() {
        try (ToolRegistry registry = registry(httpPost("127.0.0.1:" + port))) {
            ToolResult result = registry.execute("http_post", post(UUID.randomUUID().toString(), url("/moved"), Map.of()));
            assertThat(result).isInstanceOfSatisfying(ToolResult.Succeeded.class,
                    s -> assertThat(s.output().value()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                            .containsEntry("status", 302).containsEntry("location", url("/target")));
            assertThat(redirectTargetHits.get()).isZero();
        }
    }

    @Test
    void a_slow_receiver_is_a_timeout() {
        try (ToolRegistry registry = registry(httpPost(List.of("127.0.0.1:" + port), "127.0.0.1:" + port, Duration.ofMillis(300)))) {
            ToolResult result = registry.execute("http_post", post(UUID.randomUUID().toString(), url("/slow"), Map.of()));
            assertThat(result).isInstanceOfSatisfying(ToolResult.Failed.class, f -> {
                assertThat(f.failure()).isEqualTo(ToolFailure.TIMEOUT);
                assertThat(f.durationMs()).isLessThan(10_000);
            });
        }
    }

    @Test
    void a_tool_blocked_reading_a_socket_is_interrupted_at_its_timeout() throws InterruptedException {
        java.util.concurrent.CountDownLatch unblocked = new java.util.concurrent.CountDownLatch(1);
        ToolSpec spec = new ToolSpec("raw_read", "reads a slow socket", Map.of("type", "object"), Duration.ofMillis(300),
                java.math.BigDecimal.ZERO, false, true);
        Tool blocking = new Tool() {
            @Override
            public ToolSpec spec() {
                return spec;
            }

            @Override
            public ToolOutput run(ToolInvocation invocation) throws IOException {
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                    socket.getOutputStream().write(("POST /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    return ToolOutput.of(socket.getInputStream().read()); // blocks: the server answers after 30 s
                } catch (IOException e) {
                    unblocked.countDown(); // a virtual thread's socket read ends when the thread is interrupted
                    throw e;
                }
            }
        };
        try (ToolRegistry registry = registry(blocking)) {
            ToolResult result = registry.execute("raw_read", new ToolInvocation("c", "k", "tenant-a", "user-1", null, Map.of()));
            assertThat(result).isInstanceOfSatisfying(ToolResult.Failed.class,
                    f -> assertThat(f.failure()).isEqualTo(ToolFailure.TIMEOUT));
            assertThat(unblocked.await(10, TimeUnit.SECONDS)).as("the blocked read ended").isTrue();
        }
    }

    @Test
    void a_response_body_is_capped_at_one_mebibyte() {
        try (ToolRegistry registry = registry(httpPost("127.0.0.1:" + port))) {
            ToolResult result = registry.execute("http_post", post(UUID.randomUUID().toString(), url("/huge"), Map.of()));
            assertThat(result).isInstanceOfSatisfying(ToolResult.Succeeded.class, s -> {
                Map<?, ?> value = (Map<?, ?>) s.output().value();
                assertThat(value.get("truncated")).isEqualTo(true);
                assertThat(((String) value.get("body")).length()).isEqualTo(HttpPostTool.MAX_RESPONSE_BYTES);
            });
        }
    }

    @Test
    void knowledge_search_returns_the_callers_tenant_passages_with_their_sources() {
        knowledge.ingest(new TenantContext("acme", "alice", true), List.of(new DocumentInput("psur", "Acme PSUR playbook",
                "Periodic safety update reports summarise the benefit-risk balance of a marketed medicine. "
                        + "Acme submits them every six months.", "https://acme.example/psur", "pv", null, Map.of(), false, "test")),
                o -> { });
        knowledge.ingest(new TenantContext("globex", "bob", true), List.of(new DocumentInput("psur-globex", "Globex PSUR secrets",
                "Periodic safety update reports at Globex follow an internal calendar that only Globex may read.",
                "https://globex.example/psur", "pv", null, Map.of(), false, "test")), o -> { });

        try (ToolRegistry registry = registry(new KnowledgeSearchTool(knowledge))) {
            ToolInvocation acme = new ToolInvocation("toolu_9", "k9", "acme", "alice", UUID.randomUUID(),
                    Map.of("query", "periodic safety update report", "top_k", 5));
            ToolResult result = registry.execute("knowledge_search", acme);
            assertThat(result).isInstanceOfSatisfying(ToolResult.Succeeded.class, s -> {
                assertThat(s.output().sources()).extracting(Source::title).containsExactly("Acme PSUR playbook");
                assertThat(s.output().sources().getFirst().index()).isEqualTo(1);
                Map<?, ?> value = (Map<?, ?>) s.output().value();
                assertThat(value.get("count")).isEqualTo(1);
                Map<?, ?> passage = (Map<?, ?>) ((List<?>) value.get("passages")).getFirst();
                assertThat(passage.get("index")).isEqualTo(1);
                assertThat((String) passage.get("text")).contains("every six months");
                assertThat(passage.get("url")).isEqualTo("https://acme.example/psur");
            });

            ToolInvocation globex = new ToolInvocation("toolu_10", "k10", "globex", "bob", null,
                    Map.of("query", "periodic safety update report"));
            assertThat(((ToolResult.Succeeded) registry.execute("knowledge_search", globex)).output().sources())
                    .extracting(Source::title).containsExactly("Globex PSUR secrets");

            ToolInvocation blank = new ToolInvocation("toolu_11", "k11", "acme", "alice", null, Map.of("query", "   "));
            assertThat(registry.execute("knowledge_search", blank)).isInstanceOfSatisfying(ToolResult.Failed.class,
                    f -> assertThat(f.failure()).isEqualTo(ToolFailure.INVALID_INPUT));
            assertThat(registry.spec("knowledge_search").orElseThrow().sideEffects()).isFalse();
        }
    }

    @Test
    void http_post_declares_its_side_effects_and_reach() {
        ToolSpec spec = httpPost(List.of(), "", TIMEOUT).spec();
        assertThat(spec.sideEffects()).isTrue();
        assertThat(spec.external()).isTrue();
        assertThat(spec.timeout()).isGreaterThan(TIMEOUT);
        assertThat(TimeUnit.MILLISECONDS.toSeconds(spec.timeout().toMillis())).isEqualTo(12);
    }
}
