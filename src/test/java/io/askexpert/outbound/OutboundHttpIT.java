package io.askexpert.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Real requests to a receiver on loopback, which only the operator's allow entry opens. */
class OutboundHttpIT {

    private HttpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger slowRequests = new AtomicInteger();
    private int port;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " host="
                    + exchange.getRequestHeaders().getFirst("Host") + " body="
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/redirect" -> {
                    exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
                    exchange.sendResponseHeaders(302, -1);
                }
                case "/big" -> {
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(new byte[64 * 1024]);
                    }
                }
                case "/slow" -> {
                    slowRequests.incrementAndGet();
                    exchange.sendResponseHeaders(200, 0);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write('[');
                        out.flush();
                        Thread.sleep(5_000); // a body that drips: the deadline must cover it too
                        out.write(']');
                    } catch (InterruptedException | IOException e) {
                        // the client gave up
                    }
                }
                default -> {
                    byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, ok.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(ok);
                    }
                }
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private OutboundHttp client(String allowed, HostResolver resolver) {
        return new OutboundHttp(new AddressPolicy(AllowedHosts.parse(allowed), resolver),
                new OutboundHttp.Limits(Duration.ofSeconds(2), Duration.ofSeconds(2), 16 * 1024));
    }

    private URI url(String host, String path) {
        return URI.create("http://" + host + ":" + port + path);
    }

    @Test
    void loopback_is_refused_without_the_operators_entry_and_nothing_is_sent() {
        try (OutboundHttp http = client("", HostResolver.system())) {
            OutboundResult result = http.post(url("127.0.0.1", "/in"), Map.of(), "x".getBytes());
            assertThat(result).isInstanceOfSatisfying(OutboundResult.Refused.class,
                    r -> assertThat(r.addressClass()).isEqualTo(AddressClass.LOOPBACK));
            assertThat(seen).isEmpty();
        }
    }

    @Test
    void the_operators_entry_opens_loopback_for_that_port_only() {
        try (OutboundHttp http = client("127.0.0.1:" + port, HostResolver.system())) {
            OutboundResult result = http.post(url("127.0.0.1", "/in"), Map.of("Content-Type", "application/json"),
                    "{\"a\":1}".getBytes());
            assertThat(result).isInstanceOfSatisfying(OutboundResult.Answered.class, a -> {
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.text()).isEqualTo("{\"ok\":true}");
            });
            assertThat(seen).containsExactly("POST /in host=127.0.0.1:" + port + " body={\"a\":1}");
            assertThat(http.post(URI.create("http://127.0.0.1:" + (port == 65_535 ? 1 : port + 1) + "/"), Map.of(), new byte[0]))
                    .isInstanceOf(OutboundResult.Refused.class);
        }
    }

    @Test
    void connects_to_the_address_it_checked_without_resolving_again() {
        // The name exists only in this resolver: a second lookup by the client would fail.
        HostResolver once = host -> List.of(InetAddress.getLoopbackAddress());
        try (OutboundHttp http = client("hooks.rebind.invalid", once)) {
            OutboundResult result = http.post(url("hooks.rebind.invalid", "/pinned"), Map.of(), "p".getBytes());
            assertThat(result).isInstanceOfSatisfying(OutboundResult.Answered.class, a -> assertThat(a.status()).isEqualTo(200));
            assertThat(seen).containsExactly("POST /pinned host=hooks.rebind.invalid:" + port + " body=p");
        }
    }

    @Test
    void redirects_are_answers_never_followed() {
        try (OutboundHttp http = client("127.0.0.1", HostResolver.system())) {
            OutboundResult result = http.post(url("127.0.0.1", "/redirect"), Map.of(), new byte[0]);
            assertThat(result).isInstanceOfSatisfying(OutboundResult.Answered.class, a -> assertThat(a.status()).isEqualTo(302));
            assertThat(seen).hasSize(1);
        }
    }

    @Test
    void a_body_past_the_cap_is_cut_there() {
        try (OutboundHttp http = client("127.0.0.1", HostResolver.system())) {
            OutboundResult result = http.send("GET", url("127.0.0.1", "/big"), Map.of(), null);
            assertThat(result).isInstanceOfSatisfying(OutboundResult.Answered.class, a -> {
                assertThat(a.truncated()).isTrue();
                assertThat(a.body()).hasSize(16 * 1024);
            });
            assertThat(http.send("GET", url("127.0.0.1", "/small"), Map.of(), null))
                    .isInstanceOfSatisfying(OutboundResult.Answered.class, a -> assertThat(a.truncated()).isFalse());
        }
    }

    @Test
    void a_slow_body_times_out_at_the_deadline() {
        try (OutboundHttp http = client("127.0.0.1", HostResolver.system())) {
            OutboundResult result = http.send("GET", url("127.0.0.1", "/slow"), Map.of(), null);
            assertThat(result).isInstanceOfSatisfying(OutboundResult.Failed.class,
                    f -> assertThat(f.failure()).isEqualTo(OutboundResult.Failure.TIMEOUT));
            assertThat(slowRequests).hasValue(1);
        }
    }

    @Test
    void a_closed_port_is_a_connection_failure() throws IOException {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (OutboundHttp http = client("127.0.0.1", HostResolver.system())) {
            OutboundResult result = http.post(URI.create("http://127.0.0.1:" + closed + "/"), Map.of(), new byte[0]);
            assertThat(result).isInstanceOfSatisfying(OutboundResult.Failed.class,
                    f -> assertThat(f.failure()).isEqualTo(OutboundResult.Failure.CONNECTION));
        }
    }
}
