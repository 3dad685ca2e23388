package io.askexpert.missions;

import io.askexpert.missions.MissionCrashIT.Point;
import io.askexpert.mockllm.MockLlmServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the missions of {@link MissionCrashIT}: keeps a few in flight, watches each one (its journal,
 * its row, its checkpoints, the model requests that name it, the receiver) every few milliseconds,
 * kills the worker holding it when it reaches its point, decides its checkpoint, starts a
 * replacement for each killed worker, and counts what the kill left in flight, so that the test can
 * tell a call re-run because it was never recorded from one re-run although it was.
 */
final class CrashDriver {

    private static final Logger log = LoggerFactory.getLogger(CrashDriver.class);
    private static final Duration TICK = Duration.ofMillis(20);
    /** Requests still on their way to the mock or the receiver when the worker died arrive within this. */
    private static final Duration SETTLE = Duration.ofMillis(300);

    /** A kill: where it was aimed, whether it landed there, and what it found. */
    record Kill(Point point, boolean landed, String worker, String detail) {
        @Override
        public String toString() {
            return point + (landed ? "" : "(missed)") + " " + detail;
        }
    }

    /** One mission of the test. */
    static final class Tracked {
        final int n;
        final String id;
        final String marker;
        final long startedNanos = System.nanoTime();
        Point target;
        final List<Kill> kills = new CopyOnWriteArrayList<>();
        volatile int extraLlm;
        volatile int extraTool;
        volatile long killedAtNanos;
        volatile String killedOwner;

        Tracked(int n, String id, String marker, Point target) {
            this.n = n;
            this.id = id;
            this.marker = marker;
            this.target = target;
        }

        long llmRequests(MockLlmServer mock) {
            return mock.received().stream().filter(r -> r.body().contains(marker)).count();
        }

        @Override
        public String toString() {
            return "#" + n + " " + id;
        }
    }

    /** What one look at the database and the mock showed. */
    private record Look(Map<String, Set<String>> journal, Map<String, String[]> rows, Map<String, List<String[]>> checkpoints,
                        List<String> requests) {
        Set<String> journal(Tracked t) {
            return journal.getOrDefault(t.id, Set.of());
        }

        String status(Tracked t) {
            String[] r = rows.get(t.id);
            return r == null ? "" : r[0];
        }

        String owner(Tracked t) {
            String[] r = rows.get(t.id);
            return r == null || r[1] == null ? "" : r[1];
        }

        boolean asked(Tracked t, String text) {
            return requests.stream().anyMatch(b -> b.contains(t.marker) && b.contains(text));
        }

        Optional<String> pendingCheckpoint(Tracked t) {
            return checkpoints.getOrDefault(t.id, List.of()).stream().filter(c -> c[1].equals("pending"))
                    .map(c -> c[0]).findFirst();
        }

        boolean decided(Tracked t) {
            return checkpoints.getOrDefault(t.id, List.of()).stream().anyMatch(c -> !c[1].equals("pending"));
        }
    }

    private final MissionCluster cluster;
    private final MockLlmServer mock;
    private final IdempotentReceiver receiver;
    private final MissionHttp http;
    private final String api;
    private final String user;
    private final List<Long> takeoversMs = Collections.synchronizedList(new ArrayList<>());
    private final List<CompletableFuture<?>> background = new CopyOnWriteArrayList<>();
    private final Map<String, Tracked> byId = new HashMap<>();

    CrashDriver(MissionCluster cluster, MockLlmServer mock, IdempotentReceiver receiver, MissionHttp http, String api,
                String user) {
        this.cluster = cluster;
        this.mock = mock;
        this.receiver = receiver;
        this.http = http;
        this.api = api;
        this.user = user;
    }

    /**
     * Runs at least {@code missions} missions and {@code missions} kills: a mission that got past all its
     * points without one (no second worker was up to take it over) is made up for by one more mission,
     * up to half as many again.
     */
    List<Tracked> run(int missions, int active, Duration limit, IntFunction<Point> pointOf) throws Exception {
        List<Tracked> all = new ArrayList<>();
        List<Tracked> live = new ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while ((wantMore(all, missions) || !live.isEmpty()) && System.nanoTime() < deadline) {
            if (wantMore(all, missions) && live.size() < active && cluster.liveWorkers() >= 2) {
                live.add(launch(all.size(), pointOf.apply(all.size())));
                all.add(live.getLast());
            }
            Look look = look(live);
            for (Tracked t : List.copyOf(live)) {
                String status = look.status(t);
                if (status.equals("completed") || status.equals("failed") || status.equals("cancelled")) {
                    live.remove(t);
                    t.target = null;
                    log.info("Mission {} {} after {} s, kills {}", t, status,
                            Duration.ofNanos(System.nanoTime() - t.startedNanos).toSeconds(), t.kills);
                    continue;
                }
                observeTakeover(t, look);
                decideWhenParked(t, look);
                aim(t, look);
            }
            Thread.sleep(TICK.toMillis());
        }
        CompletableFuture.allOf(background.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        return all;
    }

    private static boolean wantMore(List<Tracked> all, int missions) {
        int kills = all.stream().mapToInt(t -> t.kills.size()).sum();
        boolean aimed = all.stream().anyMatch(t -> t.target != null);
        return all.size() < missions || (kills < missions && !aimed && all.size() < missions * 3 / 2);
    }

    private Tracked launch(int n, Point point) {
        String marker = "CASE" + n + "X" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        String agent = n % 2 == 0 ? "crash-anthropic" : "crash-openai";
        String id = http.create(api, user, "Notify the safety tracker of expedited case " + marker
                        + " and compute its reporting deadline", agent,
                Map.of("max_steps", 2, "budget_limit_usd", 10, "require_checkpoints", true,
                        "checkpoint_types", List.of("external_action")));
        http.start(api, user, id);
        Tracked t = new Tracked(n, id, marker, point);
        byId.put(id, t);
        return t;
    }

    private Look look(List<Tracked> live) {
        if (live.isEmpty()) {
            return new Look(Map.of(), Map.of(), Map.of(), List.of());
        }
        String ids = live.stream().map(t -> "'" + t.id + "'").collect(Collectors.joining(","));
        Map<String, Set<String>> journal = new HashMap<>();
        for (List<String> r : cluster.rows("select mission_id::text, key from mission_journal where mission_id in (" + ids + ")")) {
            journal.computeIfAbsent(r.get(0), k -> new HashSet<>()).add(r.get(1));
        }
        Map<String, String[]> rows = new HashMap<>();
        for (List<String> r : cluster.rows("select id::text, status, lease_owner from missions where id in (" + ids + ")")) {
            rows.put(r.get(0), new String[] {r.get(1), r.get(2)});
        }
        Map<String, List<String[]>> checkpoints = new HashMap<>();
        for (List<String> r : cluster.rows("select mission_id::text, id::text, status from mission_checkpoints "
                + "where mission_id in (" + ids + ")")) {
            checkpoints.computeIfAbsent(r.get(0), k -> new ArrayList<>()).add(new String[] {r.get(1), r.get(2)});
        }
        List<String> requests = mock.received().stream().map(MockLlmServer.Received::body).toList();
        return new Look(journal, rows, checkpoints, requests);
    }

    /** A parked mission's checkpoint is approved, as a person would (except where the kill is the decision's). */
    private void decideWhenParked(Tracked t, Look look) {
        if (t.target == Point.CHECKPOINT_DECISION || !look.status(t).equals("waiting_for_human")) {
            return;
        }
        look.pendingCheckpoint(t).ifPresent(c -> http.decide(api, user, c, "approve"));
    }

    private void aim(Tracked t, Look look) {
        if (t.target == null) {
            return;
        }
        Set<String> j = look.journal(t);
        String key = t.id + ":" + MissionCrashIT.POST_KEY;
        boolean now;
        boolean passed;
        switch (t.target) {
            case PLAN_LLM -> {
                passed = j.contains("plan/llm-1");
                now = look.asked(t, "Plan the mission");
            }
            case STEP1_LLM -> {
                passed = j.contains("step-1/llm-1");
                now = look.asked(t, "Now do step 1");
            }
            case CHECKPOINT_DECISION -> {
                passed = look.status(t).equals("waiting_for_human") || look.decided(t);
                now = look.pendingCheckpoint(t).isPresent();
            }
            case AFTER_DECISION -> {
                passed = !receiver.arrivals(key).isEmpty() || j.contains(MissionCrashIT.POST_KEY);
                now = look.decided(t);
            }
            case TOOL_IN_FLIGHT -> {
                passed = j.contains(MissionCrashIT.POST_KEY);
                now = receiver.inFlight(key);
            }
            case TOOL_RECORDED -> {
                passed = j.contains("step-1/llm-2");
                now = j.contains(MissionCrashIT.POST_KEY);
            }
            case STEP2_LLM -> {
                passed = j.contains("step-2/llm-1");
                now = look.asked(t, "Now do step 2");
            }
            case REPORT_LLM -> {
                passed = j.contains("report/llm-1");
                now = look.asked(t, "final report");
            }
            default -> throw new IllegalStateException();
        }
        if (passed) {
            Point missed = t.target;
            t.target = missed.ordinal() + 1 < Point.values().length ? Point.values()[missed.ordinal() + 1] : null;
            log.info("Mission {}: passed {} before a kill could land; aiming at {}", t, missed, t.target);
            return;
        }
        if (!now || !look.status(t).equals("running") || cluster.liveWorkers() < 2) {
            return; // (a kill that would leave no worker to take over waits for a replacement to come up)
        }
        Optional<MissionCluster.Worker> holder = cluster.worker(look.owner(t));
        if (holder.isEmpty()) {
            return; // its worker was killed already; wait for the takeover
        }
        Point point = t.target;
        t.target = null;
        if (point == Point.CHECKPOINT_DECISION) {
            String checkpoint = look.pendingCheckpoint(t).orElseThrow();
            background.add(CompletableFuture.runAsync(() -> http.decide(api, user, checkpoint, "approve")));
        }
        kill(t, point, holder.get());
    }

    private void kill(Tracked t, Point point, MissionCluster.Worker w) throws RuntimeException {
        cluster.kill(w);
        t.killedAtNanos = System.nanoTime();
        t.killedOwner = w.instanceId();
        // Every mission the dead worker held, read at once: under load a lease renewed late can expire
        // within SETTLE, and a mission another worker has taken over by then must still be counted.
        List<String> held = cluster.query("select id::text from missions where lease_owner = ?", w.instanceId());
        cluster.startWorkerAsync(); // the replacement joins the pool when it is up
        try {
            Thread.sleep(SETTLE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        // What each left in flight: what reached the receiver or was recorded until now, not what a
        // worker that took over sent or recorded since.
        java.time.OffsetDateTime settled = java.time.OffsetDateTime.now();
        held.forEach(id -> account(id, settled));
        Set<String> j = new HashSet<>(cluster.query("select key from mission_journal where mission_id = ?::uuid", t.id));
        String status = cluster.query("select status from missions where id = ?::uuid", t.id).getFirst();
        boolean landed = switch (point) {
            case PLAN_LLM -> !j.contains("plan/llm-1");
            case STEP1_LLM -> !j.contains("step-1/llm-1");
            case CHECKPOINT_DECISION -> status.equals("running");
            case AFTER_DECISION, TOOL_IN_FLIGHT -> !j.contains(MissionCrashIT.POST_KEY);
            case TOOL_RECORDED -> j.contains(MissionCrashIT.POST_KEY) && !j.contains("step-1/llm-2");
            case STEP2_LLM -> !j.contains("step-2/llm-1");
            case REPORT_LLM -> !j.contains("report/llm-1");
        };
        t.kills.add(new Kill(point, landed, w.instanceId(), "llm+" + t.extraLlm + " tool+" + t.extraTool));
        log.info("Mission {}: killed worker {} at {} (landed: {}, left {} model and {} http_post calls unrecorded)",
                t, w.instanceId(), point, landed, t.extraLlm, t.extraTool);
    }

    private void account(String missionId, java.time.OffsetDateTime until) {
        Tracked t = byId.get(missionId);
        if (t == null) {
            return;
        }
        Set<String> j = new HashSet<>(cluster.query("select key from mission_journal where mission_id = ?::uuid", missionId));
        long llmRows = j.stream().filter(k -> k.contains("/llm-")).count();
        t.extraLlm = (int) (t.llmRequests(mock) - llmRows);
        // The receiver and the journal both carry times, so a takeover's own request and record are left out.
        boolean postRecorded = !cluster.query("select key from mission_journal where mission_id = ?::uuid and key = ? "
                + "and created_at <= ?", missionId, MissionCrashIT.POST_KEY, until).isEmpty();
        long arrivals = receiver.arrivals(missionId + ":" + MissionCrashIT.POST_KEY).stream()
                .filter(a -> !a.at().isAfter(until.toInstant())).count();
        t.extraTool = (int) arrivals - (postRecorded ? 1 : 0);
    }

    private void observeTakeover(Tracked t, Look look) {
        if (t.killedOwner == null || !look.status(t).equals("running") || look.owner(t).equals(t.killedOwner)) {
            return;
        }
        takeoversMs.add(Duration.ofNanos(System.nanoTime() - t.killedAtNanos).toMillis());
        t.killedOwner = null;
    }

    long takeoverPercentile(double q) {
        List<Long> sorted = new ArrayList<>(takeoversMs);
        if (sorted.isEmpty()) {
            return -1;
        }
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }
}
