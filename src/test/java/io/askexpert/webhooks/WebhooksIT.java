package io.askexpert.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.config.WebhookSettings;
import io.askexpert.database.Migrations;
import io.askexpert.errors.AskExpertException;
import io.askexpert.outbound.AddressPolicy;
import io.askexpert.outbound.AllowedHosts;
import io.askexpert.outbound.HostResolver;
import io.askexpert.outbound.OutboundHttp;
import io.askexpert.testsupport.TestPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Webhooks against real PostgreSQL and a real HTTP receiver on loopback (opened by the operator's allow entry). */
class WebhooksIT {

    static final String SECRET = "whsec-test-0123456789-abcdef";
    static final JsonMapper JSON = JsonMapper.builder().build();

    record Received(Map<String, String> headers, byte[] body) {
    }

    private TestPostgres db;
    private HikariDataSource dataSource;
    private HttpServer receiver;
    private final Queue<Received> received = new ConcurrentLinkedQueue<>();
    /** Status codes the receiver answers, in order; 200 once they run out. */
    private final Queue<Integer> script = new ConcurrentLinkedQueue<>();
    private final List<AutoCloseable> closeables = new java.util.ArrayList<>();
    private final SecretCipher cipher = SecretCipherTest.randomKey();
    private String url;

    @BeforeEach
    void setUp() throws IOException {
        db = TestPostgres.create();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(db.jdbcUrl());
        dataSource.setMaximumPoolSize(4);
        new Migrations(dataSource).upgrade(null);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
            received.add(new Received(headers, exchange.getRequestBody().readAllBytes()));
            Integer status = script.poll();
            exchange.sendResponseHeaders(status == null ? 200 : status, -1);
            exchange.close();
        });
        receiver.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        receiver.start();
        url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeables.reversed()) {
            c.close();
        }
        receiver.stop(0);
        dataSource.close();
        db.close();
    }

    private OutboundHttp http(String allowed) {
        OutboundHttp http = new OutboundHttp(new AddressPolicy(AllowedHosts.parse(allowed), HostResolver.system()),
                new OutboundHttp.Limits(Duration.ofSeconds(5), Duration.ofSeconds(2), 64 * 1024));
        closeables.add(http);
        return http;
    }

    private static WebhookSettings fast(int maxAttempts) {
        return new WebhookSettings(maxAttempts, Duration.ofMillis(100), Duration.ofMillis(400),
                Duration.ofMillis(150), Duration.ofSeconds(30), io.askexpert.config.Secret.NONE);
    }

    private WebhookDispatcher dispatcher(OutboundHttp http, int maxAttempts) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        WebhookDispatcher d = new WebhookDispatcher(new DeliveryStore(jdbc), new WebhookSender(new WebhookStore(jdbc, cipher), http,
                Clock.systemUTC()), fast(maxAttempts));
        closeables.add(d);
        return d;
    }

    private Webhooks webhooks(OutboundHttp http, Runnable wake) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        return new Webhooks(new WebhookStore(jdbc, cipher), new DeliveryStore(jdbc), http.policy(), wake, Clock.systemUTC());
    }

    private static MissionNotification completed(UUID mission) {
        return new MissionNotification(NotificationType.MISSION_COMPLETED, mission, "Market scan",
                "The mission finished with 2 artifacts", "completed", Instant.parse("2026-12-07T07:00:00Z"));
    }

    private WebhookDelivery onlyDelivery(Webhooks webhooks, String tenant) {
        List<WebhookDelivery> all = webhooks.deliveries(tenant, null, 50, 0).deliveries();
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    @Test
    void a_delivery_is_signed_over_timestamp_and_exact_body_and_recorded() throws Exception {
        OutboundHttp http = http("127.0.0.1");
        WebhookDispatcher dispatcher = dispatcher(http, 5);
        Webhooks webhooks = webhooks(http, dispatcher::wake);
        webhooks.configure("t1", url, SECRET, null);
        UUID mission = UUID.randomUUID();

        UUID id = webhooks.notify("t1", completed(mission)).orElseThrow();

        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        Received r = received.peek();
        long timestamp = Long.parseLong(r.headers().get("x-askexpert-timestamp"));
        assertThat(WebhookSignature.verify(SECRET, timestamp, r.body(), r.headers().get("x-askexpert-signature"))).isTrue();
        assertThat(WebhookSignature.verify("another-secret-0123456789", timestamp, r.body(),
                r.headers().get("x-askexpert-signature"))).isFalse();
        assertThat(WebhookSignature.verify(SECRET, timestamp + 1, r.body(), r.headers().get("x-askexpert-signature"))).isFalse();
        assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).isLessThan(60);
        assertThat(r.headers()).containsEntry("x-askexpert-delivery", id.toString())
                .containsEntry("x-askexpert-event", "mission_completed").containsEntry("content-type", "application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("id").asString()).isEqualTo(id.toString());
        assertThat(body.get("type").asString()).isEqualTo("mission_completed");
        assertThat(body.get("data").get("mission_id").asString()).isEqualTo(mission.toString());
        assertThat(body.get("data").get("status").asString()).isEqualTo("completed");
        assertThat(body.get("data").get("occurred_at").asString()).isEqualTo("2026-12-07T07:00:00Z");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain(SECRET);

        await().atMost(Duration.ofSeconds(10)).until(() -> onlyDelivery(webhooks, "t1").status() == WebhookDelivery.Status.DELIVERED);
        WebhookDelivery d = onlyDelivery(webhooks, "t1");
        assertThat(d.attempts()).extracting(WebhookDelivery.Attempt::statusCode).containsExactly(200);
        assertThat(d.missionId()).isEqualTo(mission);
        assertThat(webhooks.deliveries("t2", null, 50, 0).total()).isZero();
    }

    @Test
    void server_errors_and_429_are_retried_with_backoff_and_every_attempt_is_recorded() {
        script.addAll(List.of(503, 500, 429));
        OutboundHttp http = http("127.0.0.1");
        WebhookDispatcher dispatcher = dispatcher(http, 5);
        Webhooks webhooks = webhooks(http, dispatcher::wake);
        webhooks.configure("t1", url, SECRET, List.of("mission_completed"));

        webhooks.notify("t1", completed(UUID.randomUUID())).orElseThrow();

        await().atMost(Duration.ofSeconds(30)).until(() -> onlyDelivery(webhooks, "t1").status() == WebhookDelivery.Status.DELIVERED);
        WebhookDelivery d = onlyDelivery(webhooks, "t1");
        assertThat(d.attempts()).extracting(WebhookDelivery.Attempt::statusCode).containsExactly(503, 500, 429, 200);
        assertThat(d.attempts()).extracting(WebhookDelivery.Attempt::attempt).containsExactly(1, 2, 3, 4);
        assertThat(d.attemptCount()).isEqualTo(4);
        assertThat(received).hasSize(4);
        // Each retry came after the backoff: 100 ms, then 200, then 400 (the cap).
        List<Instant> at = d.attempts().stream().map(WebhookDelivery.Attempt::at).toList();
        assertThat(Duration.between(at.get(0), at.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(Duration.between(at.get(2), at.get(3))).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(received).extracting(x -> x.headers().get("x-askexpert-delivery")).containsOnly(d.id().toString());
    }

    @Test
    void a_client_error_is_not_retried_and_attempts_stop_at_the_maximum() {
        script.add(410);
        OutboundHttp http = http("127.0.0.1");
        WebhookDispatcher dispatcher = dispatcher(http, 3);
        Webhooks webhooks = webhooks(http, dispatcher::wake);
        webhooks.configure("t1", url, SECRET, null);
        webhooks.notify("t1", completed(UUID.randomUUID()));
        await().atMost(Duration.ofSeconds(20)).until(() -> onlyDelivery(webhooks, "t1").status() == WebhookDelivery.Status.FAILED);
        assertThat(onlyDelivery(webhooks, "t1").attempts()).extracting(WebhookDelivery.Attempt::statusCode).containsExactly(410);

        received.clear();
        JdbcClient.create(dataSource).sql("DELETE FROM webhook_deliveries").update();
        script.addAll(List.of(502, 502, 502, 502));
        webhooks.notify("t1", completed(UUID.randomUUID()));
        await().atMost(Duration.ofSeconds(20)).until(() -> onlyDelivery(webhooks, "t1").status() == WebhookDelivery.Status.FAILED);
        assertThat(onlyDelivery(webhooks, "t1").attempts()).extracting(WebhookDelivery.Attempt::statusCode).containsExactly(502, 502, 502);
        assertThat(received).hasSize(3);
    }

    @Test
    void a_private_address_is_refused_when_saved_and_when_sent() {
        OutboundHttp strict = http("");
        Webhooks strictHooks = webhooks(strict, () -> { });
        assertThatThrownBy(() -> strictHooks.configure("t1", url, SECRET, null))
                .isInstanceOfSatisfying(AskExpertException.class, e -> {
                    assertThat(e.details()).containsEntry("field", "url").containsEntry("address_class", "loopback");
                    assertThat(e.getMessage()).doesNotContain(SECRET);
                });
        assertThatThrownBy(() -> strictHooks.configure("t1", "http://169.254.169.254/latest/meta-data/", SECRET, null))
                .isInstanceOfSatisfying(AskExpertException.class,
                        e -> assertThat(e.details()).containsEntry("address_class", "metadata"));

        // Saved while the operator allowed loopback; the policy in force at send time refuses it.
        webhooks(http("127.0.0.1"), () -> { }).configure("t1", url, SECRET, null);
        WebhookDispatcher dispatcher = dispatcher(strict, 5);
        Webhooks sending = webhooks(strict, dispatcher::wake);
        sending.notify("t1", completed(UUID.randomUUID()));
        await().atMost(Duration.ofSeconds(20)).until(() -> onlyDelivery(sending, "t1").status() == WebhookDelivery.Status.FAILED);
        WebhookDelivery d = onlyDelivery(sending, "t1");
        assertThat(d.attempts()).hasSize(1);
        assertThat(d.lastError()).startsWith("refused:").contains("loopback");
        assertThat(received).isEmpty();
    }

    @Test
    void two_instances_never_send_one_delivery_twice() {
        OutboundHttp http = http("127.0.0.1");
        Webhooks webhooks = webhooks(http, () -> { });
        webhooks.configure("t1", url, SECRET, null);
        for (int i = 0; i < 40; i++) {
            webhooks.notify("t1", completed(UUID.randomUUID()));
        }
        WebhookDispatcher a = dispatcher(http, 5);
        WebhookDispatcher b = dispatcher(http, 5);
        a.wake();
        b.wake();
        await().atMost(Duration.ofSeconds(60)).until(() -> webhooks.deliveries("t1", WebhookDelivery.Status.DELIVERED, 100, 0)
                .total() == 40);
        Map<String, AtomicInteger> perDelivery = new ConcurrentHashMap<>();
        received.forEach(r -> perDelivery.computeIfAbsent(r.headers().get("x-askexpert-delivery"), k -> new AtomicInteger())
                .incrementAndGet());
        assertThat(perDelivery).hasSize(40);
        assertThat(perDelivery.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    }

    @Test
    void events_filter_validation_and_the_secret_stays_write_only() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        Level before = ((Logger) LoggerFactory.getLogger("io.askexpert")).getLevel();
        ((Logger) LoggerFactory.getLogger("io.askexpert")).setLevel(Level.DEBUG);
        try {
            script.add(500);
            OutboundHttp http = http("127.0.0.1");
            WebhookDispatcher dispatcher = dispatcher(http, 2);
            Webhooks webhooks = webhooks(http, dispatcher::wake);
            assertThatThrownBy(() -> webhooks.configure("t1", url, null, null)).isInstanceOfSatisfying(AskExpertException.class,
                    e -> assertThat(e.details()).containsEntry("field", "secret"));
            assertThatThrownBy(() -> webhooks.configure("t1", url, "short", null)).isInstanceOfSatisfying(AskExpertException.class,
                    e -> assertThat(e.details()).containsEntry("field", "secret"));
            assertThatThrownBy(() -> webhooks.configure("t1", url, SECRET, List.of("mission_exploded")))
                    .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.details()).containsEntry("field", "events"));
            assertThatThrownBy(() -> webhooks.configure("t1", "ftp://example.com/x", SECRET, null))
                    .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.details()).containsEntry("field", "url"));
            assertThatThrownBy(() -> webhooks.configure("t1", "not a url at all", SECRET, null))
                    .isInstanceOfSatisfying(AskExpertException.class, e -> assertThat(e.details()).containsEntry("field", "url"));

            WebhookConfig saved = webhooks.configure("t1", url, SECRET, List.of("checkpoint_raised", "mission_failed"));
            assertThat(saved.eventNames()).containsExactly("checkpoint_raised", "mission_failed");
            assertThat(webhooks.notify("t1", completed(UUID.randomUUID()))).isEmpty();
            assertThat(webhooks.notify("t2", completed(UUID.randomUUID()))).isEmpty();
            // A PUT without secret keeps the stored one.
            webhooks.configure("t1", url, null, null);
            Optional<UUID> id = webhooks.notify("t1", new MissionNotification(NotificationType.CHECKPOINT_RAISED,
                    UUID.randomUUID(), "Plan review", "Approve the plan?", "waiting_for_human", Instant.now()));
            assertThat(id).isPresent();
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 2);
            Received last = received.stream().toList().getLast();
            assertThat(WebhookSignature.verify(SECRET, Long.parseLong(last.headers().get("x-askexpert-timestamp")), last.body(),
                    last.headers().get("x-askexpert-signature"))).isTrue();

            assertThat(webhooks.webhook("t1").orElseThrow().toString()).doesNotContain(SECRET);
            String stored = JdbcClient.create(dataSource).sql("SELECT secret FROM webhooks WHERE tenant_id = 't1'")
                    .query(String.class).single();
            assertThat(stored).startsWith(SecretCipher.PREFIX).doesNotContain(SECRET);
            assertThat(webhooks.deliveries("t1", null, 10, 0).toString()).doesNotContain(SECRET);
            assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains(SECRET));
            assertThat(webhooks.remove("t1")).isTrue();
            assertThat(webhooks.webhook("t1")).isEmpty();
        } finally {
            root.detachAppender(logs);
            ((Logger) LoggerFactory.getLogger("io.askexpert")).setLevel(before);
        }
    }

    @Test
    void a_replayed_notification_with_the_same_key_is_delivered_once() {
        OutboundHttp http = http("127.0.0.1");
        WebhookDispatcher dispatcher = dispatcher(http, 5);
        Webhooks webhooks = webhooks(http, dispatcher::wake);
        webhooks.configure("t1", url, SECRET, null);
        UUID mission = UUID.randomUUID();
        String key = "mission/" + mission + "/completed";

        UUID first = webhooks.notify("t1", completed(mission), key).orElseThrow();
        UUID again = webhooks.notify("t1", completed(mission), key).orElseThrow();
        UUID otherKey = webhooks.notify("t1", completed(mission), key + "/x").orElseThrow();

        assertThat(again).isEqualTo(first);
        assertThat(otherKey).isNotEqualTo(first);
        await().atMost(Duration.ofSeconds(20)).until(() -> webhooks.deliveries("t1", WebhookDelivery.Status.DELIVERED, 10, 0).total() == 2);
        assertThat(received).hasSize(2);
    }

    @Test
    void a_secret_stored_in_plain_text_by_an_earlier_release_still_signs_and_is_encrypted_at_start() {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        jdbc.sql("INSERT INTO webhooks (tenant_id, url, secret, events) VALUES ('t1', ?, ?, ?)")
                .params(url, SECRET, new String[] {"mission_completed"}).update();
        jdbc.sql("INSERT INTO webhooks (tenant_id, url, secret, events) VALUES ('t2', ?, ?, ?)")
                .params(url, "whsec-second-tenant-0123456789", new String[] {"mission_completed"}).update();
        OutboundHttp http = http("127.0.0.1");
        WebhookDispatcher dispatcher = dispatcher(http, 3);
        Webhooks webhooks = webhooks(http, dispatcher::wake);

        // Read as it is before the start-up pass ...
        webhooks.notify("t1", completed(UUID.randomUUID())).orElseThrow();
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        // ... and after it, encrypted: each row once, the second pass finds none.
        WebhookStore store = new WebhookStore(jdbc, cipher);
        assertThat(store.encryptPlainSecrets()).isEqualTo(2);
        assertThat(store.encryptPlainSecrets()).isZero();
        assertThat(jdbc.sql("SELECT secret FROM webhooks ORDER BY tenant_id").query(String.class).list())
                .allSatisfy(s -> assertThat(s).startsWith(SecretCipher.PREFIX).doesNotContain("whsec"));
        assertThat(store.target("t2").orElseThrow().secret()).isEqualTo("whsec-second-tenant-0123456789");
        webhooks.notify("t1", completed(UUID.randomUUID())).orElseThrow();
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 2);
        for (Received r : received) {
            assertThat(WebhookSignature.verify(SECRET, Long.parseLong(r.headers().get("x-askexpert-timestamp")), r.body(),
                    r.headers().get("x-askexpert-signature"))).isTrue();
        }
    }

    @Test
    void a_secret_that_does_not_decrypt_with_this_key_is_retried_and_never_shown() {
        OutboundHttp http = http("127.0.0.1");
        WebhookDispatcher dispatcher = dispatcher(http, 2);
        Webhooks webhooks = webhooks(http, dispatcher::wake);
        JdbcClient jdbc = JdbcClient.create(dataSource);
        new WebhookStore(jdbc, SecretCipherTest.randomKey()).save("t1", java.net.URI.create(url), SECRET,
                java.util.EnumSet.allOf(NotificationType.class));

        webhooks.notify("t1", completed(UUID.randomUUID())).orElseThrow();

        await().atMost(Duration.ofSeconds(20)).until(() -> onlyDelivery(webhooks, "t1").status() == WebhookDelivery.Status.FAILED);
        WebhookDelivery d = onlyDelivery(webhooks, "t1");
        assertThat(d.attempts()).hasSize(2).allSatisfy(a -> assertThat(a.error())
                .contains("does not decrypt with this instance's key").doesNotContain(SECRET));
        assertThat(received).isEmpty();
    }

    @Test
    void backoff_doubles_up_to_its_cap() {
        assertThat(WebhookSender.backoff(1, Duration.ofSeconds(10), Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(10));
        assertThat(WebhookSender.backoff(2, Duration.ofSeconds(10), Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(20));
        assertThat(WebhookSender.backoff(5, Duration.ofSeconds(10), Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(160));
        assertThat(WebhookSender.backoff(40, Duration.ofSeconds(10), Duration.ofHours(1))).isEqualTo(Duration.ofHours(1));
    }
}
