package io.askexpert.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A mission's stream, read for what it must announce once: each step's start, progress and end,
 * each tool call and result, each artifact and notification. A plan, report or member event sent
 * again by a replay (an attempt stopped halfway through them) shows up here twice.
 */
public final class MissionEvents {

    private MissionEvents() {
    }

    /** Fails when an event that names its step, call or artifact appears twice. */
    public static void assertNothingAnnouncedTwice(List<StrictSse.Event> events, String what) {
        List<String> keyed = events.stream().map(MissionEvents::key).filter(Objects::nonNull).toList();
        assertThat(keyed).as(what + ": events announced more than once").doesNotHaveDuplicates();
    }

    /** How many events of this kind the stream has. */
    public static long count(List<StrictSse.Event> events, String name) {
        return events.stream().filter(e -> e.name().equals(name)).count();
    }

    private static String key(StrictSse.Event e) {
        JsonNode j = e.json();
        return switch (e.name()) {
            case "step_started", "step_completed" -> e.name() + " " + j.path("step_id").asString("");
            case "step_progress" -> e.name() + " " + j.path("step").asInt() + " " + j.path("progress").asInt();
            // an offline mission's steps share a call id; their input (and output) tells them apart
            case "tool_call" -> e.name() + " " + j.path("id").asString("") + " " + j.path("input");
            case "tool_result" -> e.name() + " " + j.path("id").asString("") + " " + j.path("output");
            case "artifact" -> e.name() + " " + j.path("id").asString("");
            case "notification" -> e.name() + " " + j.path("type").asString("") + " " + j.path("title").asString("");
            case "mission_started", "mission_completed", "cost", "done" -> e.name();
            default -> null;
        };
    }
}
