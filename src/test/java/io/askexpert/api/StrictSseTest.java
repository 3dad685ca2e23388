package io.askexpert.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.askexpert.runs.Sequenced;
import io.askexpert.testsupport.StrictSse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The writer's frames pass the strict parser, and the parser rejects what the contract forbids. */
class StrictSseTest {

    private static String frames(Sequenced... events) {
        StringBuilder out = new StringBuilder();
        for (Sequenced e : events) {
            out.append(new String(SseWriter.frame(e), StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    @Test
    void frames_written_by_the_writer_parse() {
        var events = StrictSse.parse(frames(new Sequenced(1, "run", "{\"run_id\":\"r\"}"),
                new Sequenced(2, "token", "{\"content\":\"a\\nb\",\"tokenIndex\":0}"),
                new Sequenced(3, "done", "{\"success\":true}")));
        assertThat(events).extracting(StrictSse.Event::name).containsExactly("run", "token", "done");
        assertThat(events.get(1).json().get("content").asString()).isEqualTo("a\nb");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "id: 1\r\nevent: run\r\ndata: {}\r\n\r\n",
            "id: 1\nevent: run\ndata: {\ndata: }\n\n",
            "id: 1\nevent: done\ndata: {}\n\nid: 2\nevent: done\ndata: {}\n\n",
            "id: 1\nevent: run\ndata: {}\n\nid: 3\nevent: done\ndata: {}\n\n",
            "id: 2\nevent: run\ndata: {}\n\nid: 1\nevent: done\ndata: {}\n\n",
            "id: 1\nevent: run\ndata: {}\n\n",
            "id: 1\nevent: run\ndata: not json\n\n",
            "event: run\ndata: {}\n\n",
            "id: 1\nevent: done\ndata: {}\n\nid: 2\nevent: token\ndata: {}\n\n",
            "id: 1\nevent: done\ndata: {}\n"})
    void rejects_what_the_contract_forbids(String body) {
        assertThatThrownBy(() -> StrictSse.parse(body)).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("strict SSE");
    }
}
