package io.askexpert.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code deploy verify} against instances that answer like the service: healthy, failing, gone. */
class DeployVerifierIT {

    final AtomicReference<String> metrics = new AtomicReference<>("");
    /** Served from the second scrape on, when set. */
    final AtomicReference<String> later = new AtomicReference<>();
    final java.util.concurrent.atomic.AtomicInteger scrapes = new java.util.concurrent.atomic.AtomicInteger();
    final HttpServer instance = start();
    final List<String> log = new ArrayList<>();

    HttpServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                String text = "{\"status\":\"healthy\"}";
                if (exchange.getRequestURI().getPath().equals("/metrics")) {
                    text = scrapes.incrementAndGet() > 1 && later.get() != null ? later.get() : metrics.get();
                }
                byte[] body = text.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterEach
    void stop() {
        instance.stop(0);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + instance.getAddress().getPort());
    }

    static DeployVerifier.Settings settings(URI url, Duration watch) {
        return new DeployVerifier.Settings(List.of(url), RollbackRules.RUNBOOK, Duration.ofMinutes(5), watch,
                Duration.ofMillis(200), Duration.ofSeconds(2), false);
    }

    static String scrape(double uptime, long ok, long failed) {
        return "process_uptime_seconds " + uptime + "\n" + RollbackRulesTest.scrape(ok, failed, ok + failed, 0);
    }

    @Test
    void keeps_a_young_release_within_the_rules() throws Exception {
        metrics.set(scrape(42, 200, 3));
        DeployVerifier.Verdict v = new DeployVerifier().verify(settings(url(), Duration.ZERO), log::add);
        assertThat(v.rollBack()).as(log.toString()).isFalse();
        assertThat(v.traffic().requests()).isEqualTo(203);
        assertThat(log).anyMatch(l -> l.contains("counting since its start"));
    }

    @Test
    void rolls_back_when_5xx_pass_5_percent_while_watched() throws Exception {
        metrics.set(scrape(600, 1000, 0));
        later.set(scrape(601, 1010, 40));
        DeployVerifier.Verdict v = new DeployVerifier().verify(
                new DeployVerifier.Settings(List.of(url()), RollbackRules.RUNBOOK, Duration.ofSeconds(30),
                        Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(2), false), log::add);
        assertThat(v.rollBack()).isTrue();
        assertThat(v.reasons()).singleElement().asString().contains("40 of 50 requests answered 5xx");
    }

    @Test
    void rolls_back_an_instance_that_never_answers_its_health_check() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        DeployVerifier.Verdict v = new DeployVerifier().verify(
                settings(URI.create("http://127.0.0.1:" + dead), Duration.ZERO), log::add);
        assertThat(v.rollBack()).isTrue();
        assertThat(v.reasons()).singleElement().asString().contains("/health did not answer 200 within 2s");
    }
}
