package io.askexpert.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.askexpert.config.ProcessRole;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker role serves no API, but orchestrators and Prometheus still need its
 * {@code /health}, {@code /health/detailed} and {@code /metrics} (queue depth, active missions):
 * the JDK's HTTP server answers them on {@code PORT}, so a worker pod is probed and scraped like
 * an API pod without starting the servlet stack and every API route with it.
 */
@Component
@ConditionalOnProperty(name = ProcessRole.PROPERTY, havingValue = ProcessRole.WORKER_VALUE)
class WorkerEndpoints implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkerEndpoints.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SystemHealth health;
    private final PrometheusMeterRegistry registry;
    private final int port;
    private HttpServer server;

    WorkerEndpoints(SystemHealth health, PrometheusMeterRegistry registry, @Value("${server.port:8000}") int port) {
        this.health = health;
        this.registry = registry;
        this.port = port;
    }

    @Override
    public void start() {
        try {
            server = HttpServer.create(new InetSocketAddress(port), 64);
        } catch (IOException e) {
            throw new IllegalStateException("the worker's health and metrics port " + port + " (PORT) is not free", e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::route);
        server.start();
        log.info("Worker health and metrics on port {} (/health, /health/detailed, /metrics)", port);
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/metrics")) {
            answer(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
        } else if (path.equals("/health")) {
            answer(exchange, 200, "application/json", "{\"status\":\"healthy\"}");
        } else if (path.equals("/health/detailed")) {
            SystemHealth.Report report = health.report();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", report.status());
            body.putAll(report.components());
            body.put("checks", report.checks());
            answer(exchange, report.serving() ? 200 : 503, "application/json", JSON.writeValueAsString(body));
        } else {
            answer(exchange, 404, "application/json", "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"the worker "
                    + "serves /health, /health/detailed and /metrics only\",\"details\":{},\"request_id\":null}}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    @PreDestroy
    public void stop() {
        if (server != null) {
            server.stop(1);
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
