package io.askexpert.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.runs.Sequenced;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerPrinterTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AnswerPrinter printer = new AnswerPrinter(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false);

    private static final String STREAM = """
            id: 1
            event: run
            data: {"run_id":"run_1","session_id":"s-1","mode":"mode1_manual_interactive"}

            : heartbeat

            id: 2
            event: agent_selected
            data: {"agent":{"id":"a1","name":"FDA Regulatory Affairs Expert","level":2,"specialty":"US drugs","score":1.0}}

            id: 3
            event: token
            data: {"content":"Answer ","tokenIndex":0}

            id: 4
            event: token
            data: {"content":"[1]","tokenIndex":1}

            id: 5
            event: citation
            data: {"id":"c7","index":1,"title":"IND primer","url":"https://www.ecfr.gov/part-312"}

            id: 6
            event: cost
            data: {"inputTokens":1200,"outputTokens":34,"totalTokens":1234,"estimatedCost":0.00420000}

            id: 7
            event: done
            data: {"success":true,"session_id":"s-1","response_time_ms":61}

            id: 8
            event: token
            data: {"content":"never read","tokenIndex":2}

            """;

    @Test
    void answer_and_sources_on_stdout_the_rest_on_stderr() throws IOException {
        List<Sequenced> seen = new ArrayList<>();
        RemoteAnswers.read(new ByteArrayInputStream(STREAM.getBytes(StandardCharsets.UTF_8)), e -> {
            seen.add(e);
            return printer.accept(e);
        });

        assertThat(seen).extracting(Sequenced::id).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(printer.ending()).isEqualTo(AnswerPrinter.Ending.DONE);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("Answer [1]\n\nSources:\n  [1] IND primer — https://www.ecfr.gov/part-312\n");
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Expert: FDA Regulatory Affairs Expert (L2): US drugs")
                .contains("Cost: 1,234 tokens (1,200 in, 34 out), $0.0042")
                .contains("Session s-1 · 61 ms");
    }

    @Test
    void an_error_event_ends_with_its_code_and_a_failing_status() {
        printer.accept(new Sequenced(1, "token", "{\"content\":\"Partial\"}"));
        boolean ended = printer.accept(new Sequenced(2, "error",
                "{\"code\":\"LLM_ERROR\",\"message\":\"the provider stopped mid-answer\",\"recoverable\":true}"));

        assertThat(ended).isTrue();
        assertThat(printer.ending().exitCode).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Partial\n");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("error: LLM_ERROR: the provider stopped mid-answer");
    }

    @Test
    void a_stream_that_stops_without_a_terminal_event_is_reported_as_cut() {
        printer.accept(new Sequenced(1, "token", "{\"content\":\"Half\"}"));

        assertThat(printer.ending()).isEqualTo(AnswerPrinter.Ending.CUT);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("without a terminal event");
    }
}
