package io.askexpert.missions;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.mockllm.MockReply;
import io.askexpert.mockllm.MockScenario;
import io.askexpert.testsupport.ServiceProcess;
import io.askexpert.testsupport.StrictSse;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * issue 14's fault test: a mode 4 mission survives a {@code kill -9} of its worker during the
 * parallel phase without repeating a completed delegation. An API instance and three mission
 * workers (the built jar) on the real PostgreSQL and Redis, a lease of 2 s, the mock LLM streaming
 * at 10 words a second. The team of three answers at different lengths (about 1.5 s, 4 s and 7.5 s),
 * so while one member's {@code step-<n>/member} is recorded another is still waiting for its model.
 * That moment, the worker holding the mission is killed; another takes it over after the lease.
 *
 * <p>Three missions, one after the other (the second killed only once two members are recorded).
 * For each: it completes; no member whose delegation was recorded before the kill sent a model
 * request after it (the mock's requests are counted per member's sub-task, before and after); the
 * report has one section per member naming its author and citing its sources; the stream's ids
 * rise by one to one terminal event.
 */
class Mode4CrashIT {

    private static final Logger log = LoggerFactory.getLogger(Mode4CrashIT.class);
    static final String TENANT = "t-mode4-crash";
    static final String USER = "u-m4crash";
    static final String DELEGATION = "This is your part of a team mission";
    static final Duration MISSION_LIMIT = Duration.ofSeconds(75);
    /** Requests still on their way to the mock when the worker died arrive within this; the lease outlives it. */
    static final Duration SETTLE = Duration.ofMillis(300);

    /** A team member: its sub-task carries {@code tag}, so the mock's requests can be told apart per member. */
    record Member(String slug, String name, String specialty, String namespace, String tag, int words) {
        String task() {
            return tag + " cover " + specialty;
        }
    }

    static final List<Member> TEAM = List.of(
            new Member("m4c-safety-expert", "Safety Reporting Expert", "expedited safety reporting", "m4c-safety",
                    "TASK-SAFETY", 8),
            new Member("m4c-labelling-expert", "Labelling Expert", "oncology labelling", "m4c-label", "TASK-LABEL", 35),
            new Member("m4c-inspection-expert", "Inspection Readiness Expert", "GCP inspection readiness", "m4c-inspect",
                    "TASK-INSPECT", 70));

    static MockLlmServer mock;
    static MissionCluster cluster;
    static ServiceProcess api;
    static final MissionHttp http = new MissionHttp(TENANT);

    @BeforeAll
    static void start() throws Exception {
        mock = MockLlmServer.start(MockLlmConfig.forTests().withTiming(Duration.ofMillis(500), 10, 20));
        script(mock);
        cluster = new MissionCluster(mock, Map.of("WORKERS", "2", "MISSION_LEASE_TTL", "2", "DATABASE_POOL_SIZE", "3",
                "LLM_MAX_RETRIES", "0"), Map.of());
        api = cluster.startApi();
        List<Map<String, Object>> experts = new ArrayList<>();
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Member m : TEAM) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("slug", m.slug());
            e.put("name", m.name());
            e.put("level", 2);
            e.put("specialty", m.specialty());
            e.put("description", "Knows " + m.specialty() + ".");
            e.put("system_prompt", "You are the " + m.name() + ". Answer from the numbered sources and cite them.");
            e.put("knowledge_namespaces", List.of(m.namespace()));
            e.put("model", "claude-sonnet-4-20250514");
            experts.add(e);
            documents.add(Map.of("external_id", m.namespace() + "-doc", "title", m.name() + " guidance", "content",
                    "For an oncology trial in the US and the EU, " + m.specialty() + " follows the written procedure: "
                            + "the sponsor keeps its timelines and shows them to inspectors.", "namespace", m.namespace(),
                    "url", "https://example.org/" + m.namespace()));
        }
        http.seedExperts(api.base(), experts);
        http.ok(api.base(), "POST", "/api/v1/expert/knowledge/documents", http.admin(),
                MissionHttp.JSON.writeValueAsString(Map.of("documents", documents)));
        // Workers start after the knowledge is stored: each builds its local index from the database at start.
        cluster.startWorkers(3);
    }

    /** Plan and report first (their prompts name the members too), then each member's answer at its length. */
    static void script(MockLlmServer mock) {
        StringBuilder plan = new StringBuilder("{\"tasks\": [");
        for (Member m : TEAM) {
            plan.append(m == TEAM.getFirst() ? "" : ", ").append("{\"member\": \"").append(m.slug())
                    .append("\", \"task\": \"").append(m.task()).append("\", \"reason\": \"its specialty\"}");
        }
        plan.append("], \"plan_confidence\": 0.8}");
        List<MockScenario> scenarios = new ArrayList<>();
        scenarios.add(MockScenario.reply(MockReply.text("The team agrees on the timelines [1] and the labelling [2]."))
                .whenBodyContains("Write the report's summary").repeating());
        scenarios.add(MockScenario.reply(MockReply.text(plan.toString())).whenBodyContains("You lead a team of experts")
                .repeating());
        for (Member m : TEAM) {
            StringBuilder answer = new StringBuilder(m.name()).append(" finds the procedure applies [1].");
            for (int i = answer.toString().split(" ").length; i < m.words(); i++) {
                answer.append(" detail");
            }
            scenarios.add(MockScenario.reply(MockReply.text(answer.toString())).whenBodyContains(m.tag()).repeating());
        }
        mock.scenario(scenarios.toArray(MockScenario[]::new));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (mock != null) {
            mock.close();
        }
    }

    /** What one kill found. */
    record Kill(String worker, Set<String> recorded, Set<String> inFlight, Map<String, Long> requestsAtKill,
                long takeoverMs) {
    }

    @Test
    void a_team_mission_survives_kill_9_of_its_worker_in_the_parallel_phase_without_repeating_a_delegation()
            throws Exception {
        List<String> lines = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            int recordedBeforeKill = n == 1 ? 2 : 1;
            lines.add(mission(n, recordedBeforeKill));
        }
        lines.forEach(l -> log.info("Mode4CrashIT: {}", l));
        lines.forEach(System.out::println);
    }

    private String mission(int n, int recordedBeforeKill) throws Exception {
        String marker = "M4CRASH" + n + "X" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        String goal = "Prepare the expedited safety reporting, labelling and inspection readiness plan for oncology "
                + "trial " + marker + " in the US and the EU";
        Map<String, Object> body = Map.of("goal", goal, "title", "Readiness " + marker, "options", Map.of(
                "max_team_size", 3, "include_experts", TEAM.stream().map(Member::slug).toList()));
        MissionHttp.Answer created = http.ok(api.base(), "POST", "/api/v1/expert/mode4/mission/create", http.user(USER),
                MissionHttp.JSON.writeValueAsString(body));
        String id = created.json().get("mission_id").asString();
        assertThat(created.json().get("team")).as(created.body()).hasSize(3);
        String what = "mission " + n + " (" + id + ")";

        // The first stream runs the preflight and queues the mission; it is read live to the terminal event.
        InputStream live = http.openStream(api.base(), USER, id, 0, 4);
        CompletableFuture<List<StrictSse.Event>> streamed = CompletableFuture.supplyAsync(() -> {
            try (live) {
                return StrictSse.reader(live).finish();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        long t0 = System.nanoTime();
        long deadline = t0 + MISSION_LIMIT.toNanos();
        Kill kill = null;
        String status = "";
        while (System.nanoTime() < deadline) {
            status = cluster.query("select status from missions where id = ?::uuid", id).getFirst();
            if (status.equals("completed") || status.equals("failed") || status.equals("cancelled")) {
                break;
            }
            if (kill == null && status.equals("running")) {
                kill = maybeKill(id, marker, recordedBeforeKill);
            }
            Thread.sleep(20);
        }
        long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();
        String context = cluster.errors();
        assertThat(kill).as(what + ": the kill landed in the parallel phase (status " + status + ")\n" + context)
                .isNotNull();
        assertThat(status).as(what + " after " + seconds + " s\n" + context).isEqualTo("completed");

        // No recorded delegation ran again: its member's model requests stopped at the kill.
        Map<String, Long> after = requestsPerMember(marker);
        for (String slug : kill.recorded()) {
            assertThat(kill.requestsAtKill().get(slug)).as(what + ": %s's request was seen before the kill", slug)
                    .isPositive();
            assertThat(after.get(slug)).as(what + ": model requests of %s, recorded before the kill", slug)
                    .isEqualTo(kill.requestsAtKill().get(slug));
        }
        assertThat(cluster.query("select key from mission_journal where mission_id = ?::uuid and key like "
                + "'step-%/member'", id)).as(what).hasSize(3);
        Set<String> failedMembers = new HashSet<>(cluster.query("select result->>'memberSlug' from mission_journal "
                + "where mission_id = ?::uuid and key like 'step-%/member' and (result->>'failed')::boolean", id));
        assertThat(failedMembers).as(what + ": members that did not deliver").isEmpty();

        // The report: one section per member naming its author, with citations and the members' sources.
        JsonNode s = http.status(api.base(), USER, id);
        assertThat(s.get("artifacts")).as(what).hasSize(1);
        String md = http.ok(api.base(), "GET", s.get("artifacts").get(0).get("download_url").asString(),
                http.user(USER), null).body();
        for (Member m : TEAM) {
            assertThat(md).as(what + ": the report").contains("## " + m.name() + ":")
                    .contains("*Author: " + m.name() + " (" + m.slug() + ")")
                    .contains("example.org/" + m.namespace());
        }
        assertThat(md).contains("## Sources").containsPattern("\\[\\d+]");
        assertThat(cluster.query("select count(*) from mission_artifacts where mission_id = ?::uuid", id))
                .containsExactly("1");

        // The stream, live and replayed: ids rise by one (StrictSse checks) to exactly one terminal event.
        List<StrictSse.Event> seen = streamed.get(30, TimeUnit.SECONDS);
        List<StrictSse.Event> replayed = http.replay(api.base(), USER, id, 0, 4);
        for (List<StrictSse.Event> events : List.of(seen, replayed)) {
            assertThat(events.getLast().name()).as(what).isEqualTo("done");
            assertThat(events.stream().filter(StrictSse.Event::terminal).count()).as(what).isEqualTo(1);
            assertThat(events.getFirst().id()).isEqualTo(1);
            assertThat(events.getLast().id()).isEqualTo(events.size());
            // the plan, each member's start, progress and end, the report: once, whatever the kill cut off
            io.askexpert.testsupport.MissionEvents.assertNothingAnnouncedTwice(events, what);
            for (String once : List.of("plan", "artifact")) {
                assertThat(io.askexpert.testsupport.MissionEvents.count(events, once)).as(what + ": " + once).isEqualTo(1);
            }
            assertThat(io.askexpert.testsupport.MissionEvents.count(events, "step_started")).as(what).isEqualTo(3);
            assertThat(io.askexpert.testsupport.MissionEvents.count(events, "delegation")).as(what).isEqualTo(3);
        }
        assertThat(seen.stream().map(StrictSse.Event::id).toList())
                .isEqualTo(replayed.stream().map(StrictSse.Event::id).toList());

        Map<String, Long> repeated = new LinkedHashMap<>();
        for (String slug : kill.inFlight()) {
            repeated.put(slug, after.get(slug) - kill.requestsAtKill().get(slug));
        }
        return String.format("%s: completed in %d s; killed %s with %s recorded and %s in flight; takeover %d ms; "
                        + "model requests per member at the kill %s, at the end %s (sent again after the kill by the "
                        + "unrecorded ones: %s); %d stream events", what, seconds, kill.worker(), kill.recorded(),
                kill.inFlight(), kill.takeoverMs(), kill.requestsAtKill(), after, repeated, replayed.size());
    }

    /** Kills the worker holding the mission once {@code recorded} members are recorded and another is in flight. */
    private Optional<Kill> tryKill(String id, String marker, int recorded) throws Exception {
        Set<String> done = recordedMembers(id);
        Map<String, Long> requests = requestsPerMember(marker);
        boolean inFlight = TEAM.stream().anyMatch(m -> !done.contains(m.slug()) && requests.get(m.slug()) > 0);
        if (done.size() < recorded || !inFlight || cluster.liveWorkers() < 2) {
            return Optional.empty();
        }
        List<List<String>> row = cluster.rows("select status, lease_owner from missions where id = ?::uuid", id);
        Optional<MissionCluster.Worker> holder = Optional.ofNullable(row.getFirst().get(1)).flatMap(cluster::worker);
        if (holder.isEmpty() || !row.getFirst().getFirst().equals("running")) {
            return Optional.empty();
        }
        MissionCluster.Worker w = holder.get();
        cluster.kill(w);
        long killedAt = System.nanoTime();
        cluster.startWorkerAsync(); // the replacement joins the pool when it is up
        Thread.sleep(SETTLE.toMillis());
        // The dead worker writes nothing more: what the journal and the mock hold now is what it left.
        Set<String> recordedAtKill = recordedMembers(id);
        Map<String, Long> atKill = requestsPerMember(marker);
        Set<String> unrecorded = new HashSet<>();
        TEAM.forEach(m -> {
            if (!recordedAtKill.contains(m.slug())) {
                unrecorded.add(m.slug());
            }
        });
        long takeover = -1;
        long limit = killedAt + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < limit) {
            List<String> now = cluster.rows("select status, lease_owner from missions where id = ?::uuid", id).getFirst();
            if (!w.instanceId().equals(now.get(1)) && (now.get(0).equals("running") || now.get(0).equals("completed"))) {
                takeover = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
                break;
            }
            Thread.sleep(20);
        }
        assertThat(takeover).as("another worker took the mission over\n" + cluster.errors()).isNotNegative();
        return Optional.of(new Kill(w.instanceId(), recordedAtKill, unrecorded, atKill, takeover));
    }

    private Kill maybeKill(String id, String marker, int recorded) throws Exception {
        return tryKill(id, marker, recorded).orElse(null);
    }

    private Set<String> recordedMembers(String id) {
        return new HashSet<>(cluster.query("select result->>'memberSlug' from mission_journal where mission_id = ?::uuid "
                + "and key like 'step-%/member'", id));
    }

    /** The mock's model requests of each member's delegation in this mission (its sub-task's tag and the marker). */
    private static Map<String, Long> requestsPerMember(String marker) {
        List<String> bodies = mock.received().stream().map(MockLlmServer.Received::body)
                .filter(b -> b.contains(marker) && b.contains(DELEGATION)).toList();
        Map<String, Long> out = new HashMap<>();
        for (Member m : TEAM) {
            out.put(m.slug(), bodies.stream().filter(b -> b.contains(m.tag())).count());
        }
        return out;
    }
}
