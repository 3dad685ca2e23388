package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.StrictSse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the lease protocol does for a worker that died, shown without killing a process: the
 * mission's row is left as a dead worker leaves it (running, its lease expired), and the reaper,
 * another worker and the run have to carry on from there. (The fault tests kill real workers.)
 */
class MissionTakeoverIT extends MissionFixture {

    @Test
    void a_mission_whose_worker_died_is_taken_over_and_continues_its_run() throws Exception {
        String id = create(Map.of("max_steps", 2, "checkpoint_types", List.of("plan_approval")));
        List<StrictSse.Event> first = stream(id, 0, e -> e.name().equals("checkpoint"));
        awaitState(id, "waiting_for_human");
        String checkpointId = first.getLast().json().get("id").asString();
        // A worker took it and died at once: its lease ran out, and the decision it was waiting for is recorded.
        DB.execute("update mission_checkpoints set status = 'approved', decision = 'approve', decided_by = 'u', "
                + "decided_at = now() where id = '" + checkpointId + "'");
        DB.execute("update missions set status = 'running', lease_owner = 'inst_dead', version = version + 1, "
                + "lease_expires_at = now() - interval '1 second' where id = '" + id + "'");

        List<StrictSse.Event> rest = stream(id, first.getLast().id(), e -> false);
        assertThat(rest.getLast().name()).isEqualTo("done");
        assertThat(state(id)).isEqualTo("completed");
        List<String> all = names(stream(id, 0, e -> false));
        assertThat(all.stream().filter("run"::equals).count()).isEqualTo(1);
        assertThat(all.stream().filter("mission_started"::equals).count()).isEqualTo(1);
        assertThat(all.stream().filter("plan"::equals).count()).as("the plan is recorded, not made again").isEqualTo(1);
        assertThat(all.stream().filter("checkpoint"::equals).count()).isEqualTo(1);
    }

    @Test
    void a_mission_that_ended_with_its_run_open_gets_its_terminal_event() throws Exception {
        String id = create(Map.of("max_steps", 1, "checkpoint_types", List.of("plan_approval")));
        List<StrictSse.Event> first = stream(id, 0, e -> e.name().equals("checkpoint"));
        awaitState(id, "waiting_for_human");
        // Its canceller died between cancelling the mission and closing the run.
        DB.execute("update missions set status = 'cancelled', version = version + 1, "
                + "finished_at = now() - interval '1 minute' where id = '" + id + "'");
        List<StrictSse.Event> rest = stream(id, first.getLast().id(), e -> false);
        assertThat(rest.getLast().name()).isEqualTo("cancelled");
    }

    @Test
    void a_mission_past_its_running_time_fails_when_it_would_run_again() throws Exception {
        String id = create(Map.of("max_steps", 1, "checkpoint_types", List.of("plan_approval")));
        List<StrictSse.Event> first = stream(id, 0, e -> e.name().equals("checkpoint"));
        awaitState(id, "waiting_for_human");
        // Waiting does not count; running does. This one has already run longer than MODE3_TIMEOUT (300 s).
        DB.execute("update missions set running_ms = 301000 where id = '" + id + "'");
        ok(post("/api/v1/expert/mode3/checkpoint/" + first.getLast().json().get("id").asString() + "/approve",
                "{\"decision\":\"approve\"}"));
        List<StrictSse.Event> rest = stream(id, first.getLast().id(), e -> false);
        assertThat(rest.getLast().name()).isEqualTo("error");
        assertThat(rest.getLast().json().get("message").asString()).contains("300 s");
        assertThat(status(id).get("status").asString()).isEqualTo("failed");
    }
}
