package io.askexpert.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HotMethodsTest {

    @Test
    void ranks_top_frames_and_project_frames_anywhere_on_the_stack_once_per_sample() {
        List<List<String>> stacks = List.of(
                List.of("java.io.Write.flush", "io.askexpert.api.Sse.send", "io.askexpert.api.Sse.send", "java.lang.Thread.run"),
                List.of("java.io.Write.flush", "io.askexpert.api.Sse.send"),
                List.of("tools.jackson.Writer.write", "io.askexpert.api.Sse.encode", "io.askexpert.api.Sse.send"),
                List.of());
        List<BenchSummary.HotMethod> hot = HotMethods.rank(stacks, 5);
        assertThat(hot).containsExactly(
                new BenchSummary.HotMethod("self", "java.io.Write.flush", 2, 50.0),
                new BenchSummary.HotMethod("self", "tools.jackson.Writer.write", 1, 25.0),
                new BenchSummary.HotMethod("project, inclusive", "io.askexpert.api.Sse.send", 3, 75.0),
                new BenchSummary.HotMethod("project, inclusive", "io.askexpert.api.Sse.encode", 1, 25.0));
    }
}
