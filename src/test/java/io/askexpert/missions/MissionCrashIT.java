package io.askexpert.missions;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.mockllm.MockLlmConfig;
import io.askexpert.mockllm.MockLlmServer;
import io.askexpert.testsupport.ServiceProcess;
import io.askexpert.testsupport.StrictSse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * issue 13's fault test: an API instance and mission workers (the {@code worker} role of the built
 * jar) on the real PostgreSQL and Redis with the mock LLM. Twenty missions, each with a
 * {@code kill -9} of the worker that holds it at one of eight points (inside the plan's model
 * call, inside a step's model call, while a person decides its checkpoint, right after the decision,
 * inside the side-effecting {@code http_post} call, after that call was recorded, inside step 2's
 * model call, inside the report's model call); another worker takes each over after the lease
 * (2 s) runs out, and a replacement worker is started for each one killed.
 *
 * <p>What must hold for every mission: it completes; the {@code http_post} effect happened once at
 * the receiver, which honours {@code Idempotency-Key}; the receiver and the mock LLM saw exactly
 * one request per recorded call plus the calls that were in flight (unrecorded) when a worker was
 * killed, so no call whose result was journaled ran again; the report is whole and saved once; its
 * stream replays every event in order with one terminal event.
 */
class MissionCrashIT {

    private static final Logger log = LoggerFactory.getLogger(MissionCrashIT.class);
    static final String TENANT = "t-mission-crash";
    static final String USER = "u-crash";
    static final int MISSIONS = 20;
    static final int ACTIVE = 4;
    static final Duration RUN_LIMIT = Duration.ofMinutes(6);
    static final String POST_KEY = "step-1/tool/" + FaultScript.POST_CALL;

    /** Where in its mission a worker is killed, in the order a mission reaches them. */
    enum Point { PLAN_LLM, STEP1_LLM, CHECKPOINT_DECISION, AFTER_DECISION, TOOL_IN_FLIGHT, TOOL_RECORDED, STEP2_LLM,
        REPORT_LLM }

    static MockLlmServer mock;
    static IdempotentReceiver receiver;
    static MissionCluster cluster;
    static ServiceProcess api;
    static final MissionHttp http = new MissionHttp(TENANT);

    @BeforeAll
    static void start() throws Exception {
        // Every model call takes at least 0.5 s, the receiver answers after 1.5 s: a kill lands inside them.
        mock = MockLlmServer.start(MockLlmConfig.forTests().withTiming(Duration.ofMillis(500), 40, 30));
        receiver = new IdempotentReceiver(Duration.ofMillis(1500));
        FaultScript.script(mock, receiver.url());
        cluster = new MissionCluster(mock, Map.of("WORKERS", "2", "MISSION_LEASE_TTL", "2", "DATABASE_POOL_SIZE", "3",
                "TOOL_HTTP_ALLOWED_HOSTS", "127.0.0.1:" + receiver.port(),
                "OUTBOUND_ALLOWED_HOSTS", "127.0.0.1:" + receiver.port(), "LLM_MAX_RETRIES", "0"), Map.of());
        api = cluster.startApi();
        http.seedExperts(api.base(), List.of(MissionHttp.expert("crash-anthropic", "claude-sonnet-4-20250514"),
                MissionHttp.expert("crash-openai", "gpt-4o-mini")));
        cluster.startWorkers(5);
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
    void twenty_missions_each_with_a_worker_killed_mid_mission_complete_with_every_effect_once() throws Exception {
        CrashDriver driver = new CrashDriver(cluster, mock, receiver, http, api.base(), USER);
        long t0 = System.nanoTime();
        List<CrashDriver.Tracked> missions = driver.run(MISSIONS, ACTIVE, RUN_LIMIT, (n) -> Point.values()[n % Point.values().length]);
        long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();

        Map<Point, Integer> landed = new EnumMap<>(Point.class);
        int kills = 0;
        int extraLlm = 0;
        int extraTool = 0;
        for (CrashDriver.Tracked t : missions) {
            kills += t.kills.size();
            for (CrashDriver.Kill k : t.kills) {
                if (k.landed()) {
                    landed.merge(k.point(), 1, Integer::sum);
                }
            }
            extraLlm += t.extraLlm;
            extraTool += t.extraTool;
        }
        log.info("MissionCrashIT: {} missions, {} kills in {} s; kills that landed at their point: {}; model calls run "
                        + "again after a kill: {}; http_post calls sent again: {}; takeover after a kill p50 {} ms, max {} ms",
                missions.size(), kills, seconds, landed, extraLlm, extraTool, driver.takeoverPercentile(0.5),
                driver.takeoverPercentile(1.0));
        String context = cluster.errors();

        for (CrashDriver.Tracked t : missions) {
            assertWhole(t, context);
        }
        assertThat(missions).hasSizeGreaterThanOrEqualTo(MISSIONS);
        assertThat(kills).as("one kill -9 per mission at least").isGreaterThanOrEqualTo(MISSIONS);
        assertThat(landed.values().stream().mapToInt(Integer::intValue).sum())
                .as("kills that landed where they were aimed: %s", landed).isGreaterThanOrEqualTo(MISSIONS * 3 / 4);
    }

    private void assertWhole(CrashDriver.Tracked t, String context) {
        String id = t.id;
        String what = "mission " + t.n + " (" + id + ", kills " + t.kills + ")";
        assertThat(cluster.query("select status from missions where id = ?::uuid", id)).as(what + "\n" + context)
                .containsExactly("completed");
        List<List<String>> journal = cluster.rows("select key, created_at from mission_journal where mission_id = ?::uuid",
                id);
        long llmRows = journal.stream().filter(r -> r.getFirst().contains("/llm-")).count();
        assertThat(llmRows).as(what + ": recorded model calls").isEqualTo(FaultScript.LLM_CALLS_PER_MISSION);
        assertThat(t.llmRequests(mock) - llmRows).as(what + ": model requests beyond the recorded calls are the ones "
                + "in flight at a kill").isEqualTo(t.extraLlm);

        String key = id + ":" + POST_KEY;
        assertThat(receiver.effects(key)).as(what + ": the http_post effect").isEqualTo(1);
        List<IdempotentReceiver.Arrival> arrivals = receiver.arrivals(key);
        assertThat(arrivals).as(what + ": http_post requests").hasSize(1 + t.extraTool);
        Instant recorded = journal.stream().filter(r -> r.getFirst().equals(POST_KEY))
                .map(r -> OffsetDateTime.parse(r.get(1).replace(' ', 'T').replaceAll("([+-]\\d\\d)$", "$1:00")).toInstant())
                .findFirst().orElseThrow();
        assertThat(arrivals).as(what + ": no http_post request after its result was recorded at " + recorded)
                .allSatisfy(a -> assertThat(a.at()).isBefore(recorded));

        List<List<String>> artifacts = cluster.rows("select type, content from mission_artifacts where mission_id = ?::uuid",
                id);
        assertThat(artifacts).as(what + ": the report is saved once").hasSize(1);
        assertThat(artifacts.getFirst().get(1)).as(what + ": the report is whole")
                .contains(FaultScript.REPORT_START).contains(FaultScript.REPORT_END);
        JsonNode status = http.status(api.base(), USER, id);
        String url = status.get("artifacts").get(0).get("download_url").asString();
        MissionHttp.Answer download = http.ok(api.base(), "GET", url, http.user(USER), null);
        assertThat(download.body()).contains(FaultScript.REPORT_START).contains(FaultScript.REPORT_END);

        List<StrictSse.Event> events = http.replay(api.base(), USER, id, 0);
        assertThat(events.getLast().name()).as(what).isEqualTo("done");
        io.askexpert.testsupport.MissionEvents.assertNothingAnnouncedTwice(events, what);
        for (String once : List.of("run", "mission_started", "plan", "checkpoint", "artifact", "mission_completed", "done")) {
            assertThat(events.stream().filter(e -> e.name().equals(once)).count()).as(what + ": " + once + " events")
                    .isEqualTo(1);
        }
        assertThat(events.stream().filter(e -> e.name().equals("step_started")).map(e -> e.json().get("step_id")
                .asString()).toList()).as(what).containsExactly("step-1", "step-2");
    }
}
