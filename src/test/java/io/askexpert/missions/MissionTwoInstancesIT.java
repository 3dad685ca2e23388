package io.askexpert.missions;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.testsupport.ServiceProcess;
import io.askexpert.testsupport.StrictSse;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two API instances (A, B) and two workers, separate processes on the real PostgreSQL and Redis:
 * the mission is created on A and streamed from B (the stream queues it; a worker runs it); its
 * checkpoint is decided on A and on B at the same moment; one worker resumes it; the stream on B,
 * which stayed open throughout, shows every event once and in order with one terminal event; a
 * client that comes late to A with {@code Last-Event-ID} gets exactly the rest.
 */
class MissionTwoInstancesIT {

    private static final Logger log = LoggerFactory.getLogger(MissionTwoInstancesIT.class);
    static final String TENANT = "t-mission-two";
    static final String USER = "u-two";
    static final String POST_KEY = "step-1/tool/" + FaultScript.POST_CALL;

    static MockLlmServer mock;
    static IdempotentReceiver receiver;
    static MissionCluster cluster;
    static ServiceProcess a;
    static ServiceProcess b;
    static final MissionHttp http = new MissionHttp(TENANT);

    @BeforeAll
    static void start() throws Exception {
        mock = MockLlmServer.start(MockLlmConfig.forTests().withTiming(Duration.ofMillis(150), 60, 30));
        receiver = new IdempotentReceiver(Duration.ofMillis(200));
        FaultScript.script(mock, receiver.url());
        cluster = new MissionCluster(mock, Map.of("WORKERS", "2", "MISSION_LEASE_TTL", "3", "DATABASE_POOL_SIZE", "3",
                "TOOL_HTTP_ALLOWED_HOSTS", "127.0.0.1:" + receiver.port(),
                "OUTBOUND_ALLOWED_HOSTS", "127.0.0.1:" + receiver.port(), "LLM_MAX_RETRIES", "0"), Map.of());
        a = cluster.startApi();
        CompletableFuture<ServiceProcess> second = CompletableFuture.supplyAsync(cluster::startApi);
        cluster.startWorkers(2);
        b = second.join();
        http.seedExperts(a.base(), List.of(MissionHttp.expert("two-anthropic", "claude-sonnet-4-20250514")));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (mock != null) {
            mock.close();
        }
    }

    @Test
    void created_on_a_streamed_from_b_decided_on_both_resumed_once_and_every_event_once_in_order() throws Exception {
        String id = http.create(a.base(), USER, "Notify the safety tracker of expedited case TWOINST and compute its "
                + "reporting deadline", "two-anthropic", Map.of("max_steps", 2, "budget_limit_usd", 10,
                "require_checkpoints", true, "checkpoint_types", List.of("external_action")));

        // A thread each: on the common pool (one or two threads here) the reader and the owner poll held every
        // thread, so the decisions waited until the poll gave up and the poll never saw the resumed mission.
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        List<StrictSse.Event> onB = new ArrayList<>();
        CountDownLatch checkpoint = new CountDownLatch(1);
        CountDownLatch midway = new CountDownLatch(1);
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            try (InputStream in = http.openStream(b.base(), USER, id, 0)) {
                StrictSse sse = StrictSse.reader(in); // ids +1, one terminal event, nothing after it
                for (StrictSse.Event e = sse.next(); e != null; e = sse.next()) {
                    synchronized (onB) {
                        onB.add(e);
                    }
                    if (e.name().equals("checkpoint")) {
                        checkpoint.countDown();
                    }
                    if (e.name().equals("step_completed")) {
                        midway.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, threads);
        assertThat(checkpoint.await(120, TimeUnit.SECONDS)).as("the checkpoint reached B's stream\n" + cluster.errors())
                .isTrue();
        String checkpointId;
        synchronized (onB) {
            checkpointId = onB.getLast().json().get("id").asString();
        }
        awaitStatus(id, "waiting_for_human");

        // Who holds the mission from the decision on: polled every 20 ms until it ends.
        Set<String> owners = new LinkedHashSet<>();
        CompletableFuture<Void> watching = CompletableFuture.runAsync(() -> watchOwners(id, owners), threads);
        CompletableFuture<MissionHttp.Answer> onA = CompletableFuture.supplyAsync(
                () -> http.decide(a.base(), USER, checkpointId, "approve"), threads);
        CompletableFuture<MissionHttp.Answer> alsoOnB = CompletableFuture.supplyAsync(
                () -> http.decide(b.base(), USER, checkpointId, "approve"), threads);
        assertThat(onA.join().status()).as(onA.join().body()).isEqualTo(200);
        assertThat(alsoOnB.join().status()).as("the same decision on B is answered the same way: " + alsoOnB.join().body())
                .isEqualTo(200);

        assertThat(midway.await(120, TimeUnit.SECONDS)).isTrue();
        long lateFrom;
        synchronized (onB) {
            lateFrom = onB.getLast().id();
        }
        List<StrictSse.Event> late = http.replay(a.base(), USER, id, lateFrom);
        reading.get(120, TimeUnit.SECONDS);
        watching.get(60, TimeUnit.SECONDS);

        List<String> names = onB.stream().map(StrictSse.Event::name).toList();
        log.info("MissionTwoInstancesIT: {} events on B ({} ids {}..{}), owners after the decision {}, late client on A "
                + "from id {} got {} events", onB.size(), names.size(), onB.getFirst().id(), onB.getLast().id(), owners,
                lateFrom, late.size());
        assertThat(onB.getLast().name()).as(names.toString()).isEqualTo("done");
        Map<String, Integer> expected = Map.of("run", 1, "mission_started", 1, "plan", 1, "checkpoint", 1,
                "step_started", 2, "tool_call", 2, "tool_result", 2, "mission_completed", 1, "done", 1);
        expected.forEach((name, n) -> assertThat(names.stream().filter(name::equals).count()).as(name + " in " + names)
                .isEqualTo(n.longValue()));
        assertThat(onB.stream().filter(e -> e.name().equals("tool_call")).map(e -> e.json().get("tool").asString()).toList())
                .containsExactly("http_post", "calculator");
        assertThat(owners).as("one worker resumed the mission after the decision").hasSize(1);
        assertThat(receiver.arrivals(id + ":" + POST_KEY)).hasSize(1);
        assertThat(receiver.effects(id + ":" + POST_KEY)).isEqualTo(1);
        assertThat(mock.received().stream().filter(r -> r.body().contains("TWOINST")).count())
                .as("one model request per recorded call").isEqualTo(FaultScript.LLM_CALLS_PER_MISSION);

        // The late client on A got exactly what B saw after that id; a full replay on A is B's stream.
        assertThat(late).extracting(StrictSse.Event::id, StrictSse.Event::name, StrictSse.Event::data)
                .containsExactlyElementsOf(onB.stream().filter(e -> e.id() > lateFrom)
                        .map(e -> org.assertj.core.groups.Tuple.tuple(e.id(), e.name(), e.data())).toList());
        List<StrictSse.Event> whole = http.replay(a.base(), USER, id, 0);
        assertThat(whole).extracting(StrictSse.Event::id, StrictSse.Event::name)
                .containsExactlyElementsOf(onB.stream().map(e -> org.assertj.core.groups.Tuple.tuple(e.id(), e.name()))
                        .toList());
        assertThat(http.status(a.base(), USER, id).get("status").asString()).isEqualTo("completed");
    }

    private static void awaitStatus(String id, String status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!cluster.query("select status from missions where id = ?::uuid", id).getFirst().equals(status)) {
            assertThat(System.nanoTime()).as("mission %s never became %s", id, status).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void watchOwners(String id, Set<String> owners) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            List<String> row = cluster.rows("select status, lease_owner from missions where id = ?::uuid", id).getFirst();
            if (row.get(0).equals("running") && row.get(1) != null) {
                owners.add(row.get(1));
            }
            if (row.get(0).equals("completed") || row.get(0).equals("failed")) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
