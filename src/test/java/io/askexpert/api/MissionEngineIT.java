package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.askexpert.testsupport.StrictSse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The mission engine over HTTP with the real executor: create, stream, a checkpoint decided, the
 * mission resumed exactly once and completed; pause, resume and cancel from every state; every
 * checkpoint timeout applying its type's default.
 */
class MissionEngineIT extends MissionFixture {

    @Test
    void a_decided_checkpoint_resumes_the_mission_once_and_it_completes() throws Exception {
        String id = create(Map.of("max_steps", 2, "checkpoint_types", List.of("plan_approval")));
        List<StrictSse.Event> first = stream(id, 0, e -> e.name().equals("checkpoint"));
        assertThat(names(first)).startsWith("run", "mission_started").endsWith("checkpoint");
        JsonNode run = first.getFirst().json();
        assertThat(run.get("mission_id").asString()).isEqualTo(id);
        assertThat(run.get("mode").asString()).isEqualTo("mode3_manual_autonomous");
        String checkpointId = first.getLast().json().get("id").asString();
        assertThat(first.getLast().json().get("type").asString()).isEqualTo("plan_approval");

        awaitState(id, "waiting_for_human");
        JsonNode waiting = status(id);
        assertThat(waiting.get("checkpoints_pending").asInt()).isEqualTo(1);
        assertThat(waiting.get("pending_checkpoints").get(0).get("id").asString()).isEqualTo(checkpointId);

        String approve = "{\"decision\":\"approve\",\"comment\":\"go ahead\"}";
        JsonNode decided = ok(post("/api/v1/expert/mode3/checkpoint/" + checkpointId + "/approve", approve));
        assertThat(decided.get("status").asString()).isEqualTo("approved");
        // the same decision again is answered the same way; another one is refused
        assertThat(ok(post("/api/v1/expert/mode3/checkpoint/" + checkpointId + "/approve", approve))
                .get("status").asString()).isEqualTo("approved");
        conflict(post("/api/v1/expert/mission/checkpoint/" + checkpointId, "{\"decision\":\"reject\",\"mode\":3}"),
                "CHECKPOINT_ALREADY_RESOLVED");

        List<StrictSse.Event> rest = stream(id, first.getLast().id(), e -> false);
        assertThat(rest.getLast().name()).isEqualTo("done");
        List<String> tail = names(rest);
        assertThat(tail.subList(tail.size() - 3, tail.size())).containsExactly("cost", "mission_completed", "done");
        assertThat(tail).contains("artifact", "step_started", "step_completed");

        // the whole run, replayed: every event once and in order, the mission started and planned once
        List<StrictSse.Event> all = stream(id, 0, e -> false);
        List<String> everything = names(all);
        assertThat(everything.stream().filter("run"::equals).count()).isEqualTo(1);
        assertThat(everything.stream().filter("mission_started"::equals).count()).isEqualTo(1);
        assertThat(everything.stream().filter("plan"::equals).count()).isEqualTo(1);
        assertThat(everything.stream().filter("checkpoint"::equals).count()).isEqualTo(1);
        assertThat(everything.stream().filter("artifact"::equals).count()).isEqualTo(1);
        io.askexpert.testsupport.MissionEvents.assertNothingAnnouncedTwice(all, "a decided mission");
        List<String> started = all.stream().filter(e -> e.name().equals("step_started"))
                .map(e -> e.json().get("step_id").asString()).toList();
        assertThat(started).doesNotHaveDuplicates().isNotEmpty();

        JsonNode done = status(id);
        assertThat(done.get("status").asString()).isEqualTo("completed");
        assertThat(done.get("progress").asInt()).isEqualTo(100);
        assertThat(done.get("error").isNull()).isTrue();
        assertThat(done.get("plan").get("steps").size()).isPositive();
        String url = done.get("artifacts").get(0).get("download_url").asString();
        HttpResponse<String> download = send("GET", url, bearer(), null);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type").orElse("")).startsWith("text/markdown");
        assertThat(download.body()).isNotBlank();

        for (String move : List.of("pause", "resume", "cancel")) {
            conflict(post("/api/v1/expert/mode3/mission/" + id + "/" + move, null), "MISSION_STATE_CONFLICT");
        }

        JsonNode history = ok(send("GET", "/api/v1/expert/mission/history", bearer(), null));
        assertThat(history.get("total").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(history.get("missions").get(0).get("mission_id").asString()).isEqualTo(id);
        assertThat(history.get("missions").get(0).has("total_cost_usd")).isTrue();
        // another user does not see it
        HttpResponse<String> stranger = send("GET", "/api/v1/expert/mission/status/" + id,
                io.askexpert.testsupport.TestTokens.bearer(TENANT, "someone-else"), null);
        assertThat(stranger.statusCode()).isEqualTo(404);
        assertThat(ok(send("GET", "/api/v1/expert/mission/status/" + id,
                io.askexpert.testsupport.TestTokens.admin(TENANT, "an-admin"), null)).get("status").asString())
                .isEqualTo("completed");
    }

    @Test
    void control_from_created_and_terminal_states() throws Exception {
        String id = create(Map.of("max_steps", 1));
        conflict(post("/api/v1/expert/mode3/mission/" + id + "/pause", null), "MISSION_STATE_CONFLICT");
        conflict(post("/api/v1/expert/mode3/mission/" + id + "/resume", null), "MISSION_STATE_CONFLICT");
        assertThat(ok(post("/api/v1/expert/mode3/mission/" + id + "/cancel", "{\"reason\":\"changed my mind\"}"))
                .get("status").asString()).isEqualTo("cancelled");
        // cancel is idempotent; every other move out of a terminal state is a conflict
        assertThat(ok(post("/api/v1/expert/mission/cancel", "{\"mission_id\":\"" + id + "\",\"mode\":3}"))
                .get("status").asString()).isEqualTo("cancelled");
        conflict(post("/api/v1/expert/mission/pause", "{\"mission_id\":\"" + id + "\",\"mode\":3}"), "MISSION_STATE_CONFLICT");
        conflict(post("/api/v1/expert/mission/resume", "{\"mission_id\":\"" + id + "\",\"mode\":3}"), "MISSION_STATE_CONFLICT");
    }

    @Test
    void control_from_queued() throws Exception {
        // A queued mission that no worker has taken yet: its run exists, its queue entry does not.
        String id = create(Map.of("max_steps", 1, "require_checkpoints", false));
        String runId = "run_" + UUID.randomUUID().toString().replace("-", "");
        DB.execute("update missions set status = 'queued', run_id = '" + runId + "', version = version + 1 where id = '"
                + id + "'");
        assertThat(ok(post("/api/v1/expert/mode3/mission/" + id + "/pause", null)).get("status").asString())
                .isEqualTo("paused");
        conflict(post("/api/v1/expert/mode3/mission/" + id + "/pause", null), "MISSION_STATE_CONFLICT");
        assertThat(ok(post("/api/v1/expert/mode3/mission/" + id + "/resume", null)).get("status").asString())
                .isEqualTo("queued");
        List<StrictSse.Event> events = stream(id, 0, e -> false);
        assertThat(events.getFirst().name()).isEqualTo("run");
        assertThat(events.getLast().name()).isEqualTo("done");
        assertThat(state(id)).isEqualTo("completed");

        String other = create(Map.of("max_steps", 1, "require_checkpoints", false));
        String otherRun = "run_" + UUID.randomUUID().toString().replace("-", "");
        DB.execute("update missions set status = 'queued', run_id = '" + otherRun + "', version = version + 1 where id = '"
                + other + "'");
        assertThat(ok(post("/api/v1/expert/mode3/mission/" + other + "/cancel", null)).get("status").asString())
                .isEqualTo("cancelled");
        List<StrictSse.Event> cancelled = stream(other, 0, e -> false);
        assertThat(cancelled.getLast().name()).isEqualTo("cancelled");

        // paused (from queued), then cancelled
        String third = create(Map.of("max_steps", 1, "require_checkpoints", false));
        String thirdRun = "run_" + UUID.randomUUID().toString().replace("-", "");
        DB.execute("update missions set status = 'queued', run_id = '" + thirdRun + "', version = version + 1 where id = '"
                + third + "'");
        assertThat(ok(post("/api/v1/expert/mode3/mission/" + third + "/pause", null)).get("status").asString())
                .isEqualTo("paused");
        assertThat(ok(post("/api/v1/expert/mode3/mission/" + third + "/cancel", null)).get("status").asString())
                .isEqualTo("cancelled");
        cancelled = stream(third, 0, e -> false);
        assertThat(cancelled.getLast().name()).isEqualTo("cancelled");
    }

    @Test
    void pause_resume_and_cancel_while_running() throws Exception {
        String id = create(Map.of("max_steps", 2, "require_checkpoints", false));
        stream(id, 0, e -> e.name().equals("mission_started"));
        awaitState(id, "running");
        assertThat(ok(post("/api/v1/expert/mission/pause", "{\"mission_id\":\"" + id + "\",\"mode\":3}"))
                .get("status").asString()).isEqualTo("paused");
        await().atMost(Duration.ofSeconds(30)).until(() -> status(id).get("status").asString().equals("paused"));
        assertThat(ok(post("/api/v1/expert/mission/resume", "{\"mission_id\":\"" + id + "\",\"mode\":3}"))
                .get("status").asString()).isIn("queued", "running");
        List<StrictSse.Event> all = stream(id, 0, e -> false);
        assertThat(all.getLast().name()).isEqualTo("done");
        assertThat(names(all).stream().filter("mission_started"::equals).count()).isEqualTo(1);
        assertThat(names(all).stream().filter("plan"::equals).count()).isEqualTo(1);
        // the pause stops the attempt wherever it is; the resumed one announces nothing a second time
        assertThat(names(all).stream().filter("artifact"::equals).count()).isEqualTo(1);
        io.askexpert.testsupport.MissionEvents.assertNothingAnnouncedTwice(all, "a paused and resumed mission");

        String doomed = create(Map.of("max_steps", 2, "require_checkpoints", false));
        stream(doomed, 0, e -> e.name().equals("mission_started"));
        awaitState(doomed, "running");
        assertThat(ok(post("/api/v1/expert/mode3/mission/" + doomed + "/cancel", "{\"reason\":\"stop\"}"))
                .get("status").asString()).isEqualTo("cancelled");
        List<StrictSse.Event> ended = stream(doomed, 0, e -> false);
        assertThat(ended.getLast().name()).isEqualTo("cancelled");
        assertThat(state(doomed)).isEqualTo("cancelled");
    }

    @Test
    void cancelling_the_run_of_a_running_mission_cancels_the_mission() throws Exception {
        String id = create(Map.of("max_steps", 2, "require_checkpoints", false));
        List<StrictSse.Event> first = stream(id, 0, e -> e.name().equals("mission_started"));
        String runId = first.getFirst().json().get("run_id").asString();
        awaitState(id, "running");
        HttpResponse<String> cancel = post("/api/v1/expert/runs/" + runId + "/cancel", null);
        assertThat(cancel.statusCode()).as(cancel.body()).isIn(200, 202);
        List<StrictSse.Event> ended = stream(id, 0, e -> false);
        assertThat(ended.getLast().name()).isIn("cancelled", "done"); // done only if it finished before the cancel
        if (ended.getLast().name().equals("cancelled")) {
            assertThat(state(id)).isEqualTo("cancelled");
        }
    }

    @Test
    void pause_resume_and_cancel_while_waiting_for_a_person() throws Exception {
        String id = create(Map.of("max_steps", 1, "checkpoint_types", List.of("plan_approval")));
        List<StrictSse.Event> first = stream(id, 0, e -> e.name().equals("checkpoint"));
        String checkpointId = first.getLast().json().get("id").asString();
        awaitState(id, "waiting_for_human");
        assertThat(ok(post("/api/v1/expert/mode3/mission/" + id + "/pause", null)).get("status").asString())
                .isEqualTo("paused");
        // resumed with its checkpoint still pending, it goes back to waiting
        assertThat(ok(post("/api/v1/expert/mode3/mission/" + id + "/resume", null)).get("status").asString())
                .isEqualTo("waiting_for_human");
        assertThat(ok(post("/api/v1/expert/mode3/mission/" + id + "/pause", null)).get("status").asString())
                .isEqualTo("paused");
        // decided while paused: it stays paused until resumed, then goes on
        ok(post("/api/v1/expert/mission/checkpoint/" + checkpointId, "{\"decision\":\"approve\",\"mode\":3}"));
        assertThat(state(id)).isEqualTo("paused");
        assertThat(ok(post("/api/v1/expert/mode3/mission/" + id + "/resume", null)).get("status").asString())
                .isIn("queued", "running", "completed");
        List<StrictSse.Event> rest = stream(id, first.getLast().id(), e -> false);
        assertThat(rest.getLast().name()).isEqualTo("done");

        String doomed = create(Map.of("max_steps", 1, "checkpoint_types", List.of("plan_approval")));
        stream(doomed, 0, e -> e.name().equals("checkpoint"));
        awaitState(doomed, "waiting_for_human");
        assertThat(ok(post("/api/v1/expert/mode3/mission/" + doomed + "/cancel", null)).get("status").asString())
                .isEqualTo("cancelled");
        List<StrictSse.Event> ended = stream(doomed, 0, e -> false);
        assertThat(ended.getLast().name()).isEqualTo("cancelled");
    }

    @Test
    void a_review_checkpoint_that_times_out_is_approved_and_the_mission_goes_on() throws Exception {
        String id = create(Map.of("max_steps", 1, "checkpoint_types", List.of("plan_approval"), "checkpoint_timeout_s", 1));
        List<StrictSse.Event> first = stream(id, 0, e -> e.name().equals("checkpoint"));
        String checkpointId = first.getLast().json().get("id").asString();
        List<StrictSse.Event> rest = stream(id, first.getLast().id(), e -> false);
        assertThat(rest.getLast().name()).isEqualTo("done");
        conflict(post("/api/v1/expert/mode3/checkpoint/" + checkpointId + "/approve", "{\"decision\":\"approve\"}"),
                "CHECKPOINT_ALREADY_RESOLVED");
    }

    @Test
    void a_budget_checkpoint_that_times_out_is_rejected_and_the_mission_fails() throws Exception {
        String id = create(Map.of("max_steps", 1, "checkpoint_types", List.of("budget"), "checkpoint_timeout_s", 1,
                "budget_limit_usd", 0.000001));
        List<StrictSse.Event> all = stream(id, 0, e -> false);
        assertThat(names(all)).contains("checkpoint");
        StrictSse.Event checkpoint = all.stream().filter(e -> e.name().equals("checkpoint")).findFirst().orElseThrow();
        assertThat(checkpoint.json().get("type").asString()).isEqualTo("budget");
        assertThat(all.getLast().name()).isEqualTo("error");
        assertThat(all.getLast().json().get("code").asString()).isEqualTo("BUDGET_EXCEEDED");
        JsonNode failed = status(id);
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("error").get("code").asString()).isEqualTo("BUDGET_EXCEEDED");
        for (String move : List.of("pause", "resume", "cancel")) {
            conflict(post("/api/v1/expert/mode3/mission/" + id + "/" + move, null), "MISSION_STATE_CONFLICT");
        }
    }

    @Test
    void bad_input_is_a_400_naming_the_field() throws Exception {
        HttpResponse<String> shortGoal = post("/api/v1/expert/mode3/mission/create",
                "{\"goal\":\"short\",\"agent_id\":\"" + EXPERT + "\"}");
        assertThat(shortGoal.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(shortGoal.body()).get("error").get("details").get("field").asString()).isEqualTo("goal");
        HttpResponse<String> steps = post("/api/v1/expert/mode3/mission/create", JSON.writeValueAsString(
                Map.of("goal", GOAL, "agent_id", EXPERT, "options", Map.of("max_steps", 51))));
        assertThat(JSON.readTree(steps.body()).get("error").get("details").get("field").asString())
                .isEqualTo("options.max_steps");
        HttpResponse<String> types = post("/api/v1/expert/mode3/mission/create", JSON.writeValueAsString(
                Map.of("goal", GOAL, "agent_id", EXPERT, "options", Map.of("checkpoint_types", List.of("lunch")))));
        assertThat(JSON.readTree(types.body()).get("error").get("details").get("field").asString())
                .isEqualTo("options.checkpoint_types");
        HttpResponse<String> agent = post("/api/v1/expert/mode3/mission/create", JSON.writeValueAsString(
                Map.of("goal", GOAL, "agent_id", "no-such-expert")));
        assertThat(agent.statusCode()).isEqualTo(404);
        HttpResponse<String> decision = post("/api/v1/expert/mission/checkpoint/" + UUID.randomUUID(),
                "{\"decision\":\"maybe\"}");
        assertThat(decision.statusCode()).isEqualTo(400);
        assertThat(post("/api/v1/expert/mission/checkpoint/" + UUID.randomUUID(), "{\"decision\":\"approve\"}")
                .statusCode()).isEqualTo(404);
        assertThat(send("GET", "/api/v1/expert/mission/status/not-a-uuid", bearer(), null).statusCode()).isEqualTo(404);
        assertThat(post("/api/v1/expert/mode3/stream", "{}").statusCode()).isEqualTo(400);
        assertThat(send("GET", "/api/v1/expert/mission/history?limit=0", bearer(), null).statusCode()).isEqualTo(400);
    }
}
