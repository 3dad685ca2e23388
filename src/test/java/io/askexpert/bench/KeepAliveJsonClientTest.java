package io.askexpert.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeepAliveJsonClientTest {

    private HttpServer server;
    private final Set<InetSocketAddress> clients = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // Echoes the body and the authorization header; "chunked" in the body answers chunked.
        server.createContext("/echo", exchange -> {
            clients.add(exchange.getRemoteAddress());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] answer = ("{\"got\":" + body + ",\"auth\":\"" + exchange.getRequestHeaders().getFirst("Authorization")
                    + "\",\"type\":\"" + exchange.getRequestHeaders().getFirst("Content-Type") + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            int status = body.contains("missing") ? 404 : 200;
            exchange.sendResponseHeaders(status, body.contains("chunked") ? 0 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI echo() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/echo");
    }

    @Test
    void posts_json_and_reads_fixed_length_and_chunked_answers_over_one_connection() throws Exception {
        try (var client = new KeepAliveJsonClient(echo(), Map.of("Authorization", "Bearer t"))) {
            var first = client.post("{\"n\":1}");
            var second = client.post("{\"n\":\"chunked\"}");
            var third = client.post("{\"n\":3}");

            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("{\"got\":{\"n\":1},\"auth\":\"Bearer t\",\"type\":\"application/json\"}");
            assertThat(second.body()).startsWith("{\"got\":{\"n\":\"chunked\"}");
            assertThat(third.body()).startsWith("{\"got\":{\"n\":3}");
        }
        assertThat(clients).hasSize(1);
    }

    @Test
    void an_error_status_is_returned_with_its_body() throws Exception {
        try (var client = new KeepAliveJsonClient(echo(), Map.of())) {
            var answer = client.post("{\"q\":\"missing\"}");

            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.body()).contains("missing");
        }
    }
}
