package io.askexpert.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.askexpert.config.Mode;
import io.askexpert.testsupport.KeylessDefault;
import io.askexpert.testsupport.TestTokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The {@code ask} command's client against a real server on the zero-configuration default: the
 * answer streams to "stdout" with the sources it cited, the expert and the cost to "stderr", and
 * a refused request comes back as the envelope's code.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // stops the embedded PostgreSQL before its data directory is deleted
class AskRemoteIT {

    @TempDir static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        KeylessDefault.register(registry, dataDir);
    }

    @LocalServerPort int port;

    private RemoteAnswers client() {
        String bearer = TestTokens.fromDataDir(dataDir, "t-cli", "u1", false);
        return new RemoteAnswers(URI.create("http://127.0.0.1:" + port), bearer.substring("Bearer ".length()));
    }

    @Test
    void streams_a_cited_answer_with_its_sources_and_cost() throws Exception {
        String body = """
                {"query":"When does an IND go into effect after FDA receives it?","agent_id":"fda-ind-specialist"}""";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // The primers are indexed in the background after start-up; ask until one is cited.
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            out.reset();
            err.reset();
            AnswerPrinter printer = new AnswerPrinter(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), false);
            client().stream(Mode.MODE1, body, printer::accept);
            return printer.ending() == AnswerPrinter.Ending.DONE && out.toString(StandardCharsets.UTF_8).contains("Sources:");
        });

        String answer = out.toString(StandardCharsets.UTF_8);
        assertThat(answer).startsWith("Offline answer").contains("[1]")
                .contains("Investigational New Drug applications (21 CFR Part 312)");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Expert: ").contains("Cost: ").contains("Session ");
    }

    @Test
    void a_refused_request_reports_the_envelope_code() {
        assertThatThrownBy(() -> client().stream(Mode.MODE1, "{\"query\":\"What is a DSUR?\",\"agent_id\":\"no-such-expert\"}",
                e -> true))
                .isInstanceOf(RemoteAnswers.Refused.class)
                .hasMessageStartingWith("AGENT_NOT_FOUND: ");
        assertThatThrownBy(() -> new RemoteAnswers(URI.create("http://127.0.0.1:" + port), "not-a-token")
                .stream(Mode.MODE1, "{\"query\":\"What is a DSUR?\",\"agent_id\":\"fda-ind-specialist\"}", e -> true))
                .isInstanceOf(RemoteAnswers.Refused.class)
                .hasMessageContaining("--token");
    }
}
