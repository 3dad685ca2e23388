package io.askexpert.deploy;

import io.askexpert.testsupport.RawHttp;
import io.askexpert.testsupport.StrictSse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Users of the service while it is being deployed: streamers ask mode 1 and mode 2 questions
 * one after the other, requesters read the catalogue and the detailed health, all through the
 * proxy, each request on a connection of its own. A stream that breaks before its terminal event
 * resumes with {@code Last-Event-ID} as api.md §4 tells clients to; one that cannot is cut.
 * Bounded: it stops when told, or after {@code maxDuration} whatever happens.
 */
final class TrafficDuringSwitch implements AutoCloseable {

    /** One stream from its first byte to its terminal event. */
    record StreamRecord(long startedMs, long endedMs, String terminal, boolean resumed) {
    }

    private final int port;
    private final String bearer;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private final long deadline;
    final AtomicInteger requests = new AtomicInteger();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<StreamRecord> streams = new ConcurrentLinkedQueue<>();
    final AtomicInteger cut = new AtomicInteger();

    TrafficDuringSwitch(int port, String bearer, int streamers, int requesters, long maxDurationMs) {
        this.port = port;
        this.bearer = bearer;
        this.deadline = System.currentTimeMillis() + maxDurationMs;
        for (int i = 0; i < streamers; i++) {
            int mode = 1 + i % 2;
            pool.submit(() -> {
                while (running()) {
                    stream(mode);
                }
            });
        }
        for (int i = 0; i < requesters; i++) {
            String path = i % 2 == 0 ? "/api/v1/expert/agents?limit=5" : "/health/detailed";
            pool.submit(() -> {
                while (running()) {
                    request(path);
                    // About 20 requests a second each: steady traffic, not a benchmark of the machine.
                    java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
                }
            });
        }
    }

    private boolean running() {
        return !stop.get() && System.currentTimeMillis() < deadline;
    }

    private void request(String path) {
        requests.incrementAndGet();
        try (RawHttp r = RawHttp.send(port, "GET", path, null, "Authorization", bearer, "Connection", "close")) {
            r.text();
            if (r.status() != 200) {
                failures.add("GET " + path + " answered " + r.status());
            }
        } catch (RuntimeException e) {
            failures.add("GET " + path + ": " + e);
        }
    }

    private void stream(int mode) {
        requests.incrementAndGet();
        String body = mode == 1
                ? "{\"agent_id\":\"fda-regulatory-expert\",\"query\":\"What must an IND application contain?\"}"
                : "{\"query\":\"How fast must a fatal SUSAR be reported in the EU?\"}";
        long started = System.currentTimeMillis();
        String runId = null;
        long lastId = 0;
        try (RawHttp r = RawHttp.send(port, "POST", "/api/v1/expert/mode" + mode + "/stream", body,
                "Authorization", bearer, "Connection", "close")) {
            if (r.status() != 200) {
                failures.add("POST mode" + mode + "/stream answered " + r.status() + ": " + r.text());
                return;
            }
            StrictSse sse = StrictSse.reader(r.body());
            while (true) {
                StrictSse.Event e = sse.next();
                lastId = e.id();
                if (e.name().equals("run")) {
                    runId = e.json().get("run_id").asString();
                }
                if (e.terminal()) {
                    streams.add(new StreamRecord(started, System.currentTimeMillis(), e.name(), false));
                    if (!e.name().equals("done")) {
                        failures.add("mode" + mode + " stream ended with " + e.name() + ": " + e.data());
                    }
                    return;
                }
            }
        } catch (RuntimeException broken) {
            if (runId == null) {
                failures.add("POST mode" + mode + "/stream: " + broken);
                return;
            }
        }
        resume(runId, lastId, started);
    }

    /** api.md §4: the client reconnects with the last id it saw, to whichever instance answers. */
    private void resume(String runId, long lastId, long started) {
        requests.incrementAndGet();
        try (RawHttp r = RawHttp.send(port, "GET", "/api/v1/expert/runs/" + runId + "/stream", null,
                "Authorization", bearer, "Last-Event-ID", String.valueOf(lastId), "Connection", "close")) {
            StrictSse sse = StrictSse.reader(r.body());
            while (true) {
                StrictSse.Event e = sse.next();
                if (e.terminal()) {
                    streams.add(new StreamRecord(started, System.currentTimeMillis(), e.name(), true));
                    return;
                }
            }
        } catch (RuntimeException e) {
            cut.incrementAndGet();
            failures.add("run " + runId + " cut after event " + lastId + " and could not resume: " + e);
        }
    }

    /** Streams that were open across the moment {@code atMs}. */
    long inFlightAt(long atMs) {
        return streams.stream().filter(s -> s.startedMs() < atMs && s.endedMs() > atMs).count();
    }

    List<StreamRecord> resumed() {
        return new ArrayList<>(streams.stream().filter(StreamRecord::resumed).toList());
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        pool.shutdown();
        if (!pool.awaitTermination(3, TimeUnit.MINUTES)) {
            pool.shutdownNow();
            failures.add("traffic did not stop within 3 minutes");
        }
    }
}
