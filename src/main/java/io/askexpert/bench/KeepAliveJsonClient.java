package io.askexpert.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * JSON POSTs to one endpoint over one kept-alive blocking connection, for latency benchmarks
 * that run in the same JVM as the service. The JDK HttpClient hands every exchange to its
 * selector thread and back; on two cores those hand-offs showed up as milliseconds in the
 * measured latency (fusion selection: p99 of the HTTP exchange minus the embedding 14.5–16.8 ms
 * with it, while a client in another process measured about 10). Not thread-safe: one per thread.
 */
public final class KeepAliveJsonClient implements AutoCloseable {

    /** A status code and the body as text. */
    public record Response(int status, String body) {
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A server that stops answering fails the benchmark instead of hanging it. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final URI endpoint;
    private final Map<String, String> headers;
    private @Nullable SseConnection connection;

    public KeepAliveJsonClient(URI endpoint, Map<String, String> headers) {
        this.endpoint = endpoint;
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        this.headers = Map.copyOf(all);
    }

    public Response post(String json) throws IOException {
        if (connection == null || !connection.reusable()) {
            close();
            connection = SseConnection.open(endpoint, CONNECT_TIMEOUT, READ_TIMEOUT);
        }
        try {
            int status = connection.post(endpoint, headers, json.getBytes(StandardCharsets.UTF_8));
            return new Response(status, new String(connection.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
