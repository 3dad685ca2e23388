package io.askexpert.missions;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The other side of {@code http_post} in the fault tests: a local HTTP endpoint that honours
 * {@code Idempotency-Key} as payment and ticketing APIs do. The first request with a key applies
 * the effect (a ticket number) at once and remembers the answer; every later request with that key
 * gets the same answer and applies nothing. It answers slowly ({@code delay}) so that a worker can be
 * killed while the call is in flight, after the effect happened and before the worker recorded it.
 */
final class IdempotentReceiver implements AutoCloseable {

    /** One request as it arrived. */
    record Arrival(String key, Instant at) {
    }

    private final HttpServer server;
    private final Duration delay;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> effects = new ConcurrentHashMap<>();
    private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tickets = new AtomicInteger();

    IdempotentReceiver(Duration delay) throws IOException {
        this.delay = delay;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.createContext("/notify", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The URL the missions post to. */
    String url() {
        return "http://127.0.0.1:" + port() + "/notify";
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key == null) {
            respond(exchange, 400, "{\"error\":\"Idempotency-Key required\"}");
            return;
        }
        arrivals.add(new Arrival(key, Instant.now()));
        inFlight.add(key);
        try {
            String answer = answers.computeIfAbsent(key, k -> {
                effects.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
                return "{\"ticket\":" + tickets.incrementAndGet() + "}";
            });
            Thread.sleep(delay.toMillis());
            respond(exchange, 201, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.remove(key);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException e) {
            // the caller was killed while we waited: the effect stands, the answer is kept for its retry
        }
    }

    /** How many times the effect of {@code key} was applied. */
    int effects(String key) {
        AtomicInteger n = effects.get(key);
        return n == null ? 0 : n.get();
    }

    /** Every request with {@code key}, in order of arrival. */
    List<Arrival> arrivals(String key) {
        List<Arrival> out = new ArrayList<>();
        for (Arrival a : arrivals) {
            if (a.key().equals(key)) {
                out.add(a);
            }
        }
        return out;
    }

    int requests() {
        return arrivals.size();
    }

    boolean inFlight(String key) {
        return inFlight.contains(key);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
