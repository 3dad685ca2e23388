package io.askexpert.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.askexpert.testsupport.ServiceProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code mission} command, run from the jar as a user runs it, with no LLM key on the
 * embedded default. First the fresh-clone acceptance: nothing is listening, so the command starts
 * the service in-process, the mission stops at its plan-approval checkpoint (and the others the
 * defaults ask for), the answers come through standard input, and a cited offline report is saved
 * to a file. Then the commands against a running server: {@code --detach}, {@code status},
 * {@code list}, {@code follow} answering with {@code modify}, {@code pause}, {@code resume} and
 * {@code cancel}, and clear errors for bad input.
 */
class MissionCliIT {

    private static final Path JAR = Path.of("target", "ask-expert.jar");
    private static final String GOAL = "Summarise the expedited reporting timelines for SUSARs in clinical trials";
    private static final Duration MISSION = Duration.ofMinutes(8);

    @TempDir Path dir;

    @Test
    void fresh_clone_runs_in_process_to_a_cited_offline_report_through_the_plan_approval_prompt() throws Exception {
        Path report = dir.resolve("reports/susar.md");
        // One answer per checkpoint the defaults may ask (plan, each step, final review): piped, as a script would.
        Result run = cli(dir.resolve("data"), freePort(), "approve\n".repeat(20), MISSION,
                "mission", GOAL, "--agent", "pharmacovigilance-expert", "--max-steps", "4", "--output", report.toString());

        assertThat(run.exit()).as(run.all()).isZero();
        assertThat(run.err()).contains("No server at").contains("running the mission in-process");
        assertThat(run.out()).contains("Plan").contains("> Step 1/")
                .containsPattern("Checkpoint \\S+ \\(plan_approval, urgency normal\\)")
                .contains("Decision? approve / reject / modify <comment>: approve")
                .contains("Mission completed")
                .contains("Report saved to " + report.toAbsolutePath());
        assertThat(run.all()).doesNotContain("Exception").doesNotContain("\tat io.askexpert");
        String markdown = Files.readString(report);
        assertThat(markdown).containsIgnoringCase("offline").contains("[1]").containsIgnoringCase("sources");
    }

    @Test
    void detach_status_list_follow_with_modify_and_clear_errors_against_a_running_server() throws Exception {
        Path data = dir.resolve("server");
        try (ServiceProcess server = ServiceProcess.start("serve", data, Map.of(), Map.of())) {
            String url = server.base();
            Result detached = cli(data, server.port(), "", Duration.ofMinutes(2), "mission", GOAL,
                    "--agent", "pharmacovigilance-expert", "--checkpoint-types", "plan_approval", "--budget", "2.50",
                    "--context", "programme=oncology", "--detach", "--url", url);
            assertThat(detached.exit()).as(detached.all()).isZero();
            String id = detached.out().strip();
            assertThat(id).matches("[0-9a-f-]{36}");

            await().atMost(MISSION).pollInterval(Duration.ofSeconds(2)).until(() ->
                    cli(data, server.port(), "", Duration.ofMinutes(1), "mission", "status", id, "--url", url)
                            .out().contains("waiting_for_human"));
            Result status = cli(data, server.port(), "", Duration.ofMinutes(1), "mission", "status", id, "--url", url);
            assertThat(status.out()).contains("Mission " + id + " | waiting_for_human").contains("offline")
                    .contains("of $2.50").containsPattern("Waiting for you: checkpoint \\S+ \\(plan_approval\\)");
            assertThat(cli(data, server.port(), "", Duration.ofMinutes(1), "mission", "list", "--url", url).out())
                    .contains(id).contains("waiting_for_human");

            Path report = dir.resolve("followed.md");
            Result followed = cli(data, server.port(), "modify\nAlso cover the EU Clinical Trials Regulation\n", MISSION,
                    "mission", "follow", id, "--url", url, "-o", report.toString());
            assertThat(followed.exit()).as(followed.all()).isZero();
            assertThat(followed.out()).contains("What should change? Also cover the EU Clinical Trials Regulation")
                    .contains("Checkpoint ").contains(": modified").contains("Report saved to " + report.toAbsolutePath());
            assertThat(Files.readString(report)).contains("[1]");
            assertThat(cli(data, server.port(), "", Duration.ofMinutes(1), "mission", "status", id, "--url", url).out())
                    .contains("| completed |").contains("Artifact: ");

            Result second = cli(data, server.port(), "", Duration.ofMinutes(2), "mission", GOAL,
                    "--agent", "pharmacovigilance-expert", "--checkpoint-types", "plan_approval", "--detach", "--url", url);
            String other = second.out().strip();
            await().atMost(MISSION).pollInterval(Duration.ofSeconds(2)).until(() ->
                    cli(data, server.port(), "", Duration.ofMinutes(1), "mission", "status", other, "--url", url)
                            .out().contains("waiting_for_human"));
            assertThat(cli(data, server.port(), "", Duration.ofMinutes(1), "mission", "pause", other, "--url", url).out())
                    .contains("Mission " + other + ": paused");
            Result resumed = cli(data, server.port(), "", Duration.ofMinutes(1), "mission", "resume", other, "--url", url);
            assertThat(resumed.exit()).as(resumed.all()).isZero();
            Result cancelled = cli(data, server.port(), "", Duration.ofMinutes(1), "mission", "cancel", other,
                    "--reason", "not needed", "--url", url);
            assertThat(cancelled.out()).as(cancelled.all()).contains("Mission " + other + ": cancelled");
            Result again = cli(data, server.port(), "", Duration.ofMinutes(1), "mission", "pause", id, "--url", url);
            assertThat(again.exit()).isNotZero();
            assertThat(again.err()).contains("MISSION_STATE_CONFLICT").doesNotContain("\tat ");

            Result unknown = cli(data, server.port(), "", Duration.ofMinutes(1), "mission", GOAL,
                    "--agent", "no-such-expert", "--url", url);
            assertThat(unknown.exit()).isNotZero();
            assertThat(unknown.err()).contains("error: AGENT_NOT_FOUND").doesNotContain("Exception").doesNotContain("\tat ");
            Result missingGoal = cli(data, server.port(), "", Duration.ofMinutes(1), "mission", "--agent", "x", "--url", url);
            assertThat(missingGoal.exit()).isNotZero();
            assertThat(missingGoal.err()).contains("give the mission's goal").doesNotContain("\tat ");
            Result badBudget = cli(data, server.port(), "", Duration.ofMinutes(1), "mission", GOAL, "--agent", "x",
                    "--budget", "-1", "--url", url);
            assertThat(badBudget.exit()).isNotZero();
            assertThat(badBudget.err()).contains("--budget must be more than 0");
            Result noSuch = cli(data, server.port(), "", Duration.ofMinutes(1), "mission", "status",
                    "00000000-0000-0000-0000-000000000000", "--url", url);
            assertThat(noSuch.exit()).isNotZero();
            assertThat(noSuch.err()).contains("MISSION_NOT_FOUND");
        }
    }

    private record Result(int exit, String out, String err) {
        String all() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /** {@code java -jar target/ask-expert.jar ARGS} with a clean environment, {@code input} on stdin. */
    private Result cli(Path dataDir, int port, String input, Duration timeout, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "cli-", ".out");
        Path err = Files.createTempFile(dir, "cli-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> !k.equals("PATH") && !k.equals("JAVA_HOME"));
        env.putAll(Map.of("HOME", dir.toString(), "ASK_EXPERT_DATA_DIR", dataDir.toString(), "PORT", Integer.toString(port),
                "LANGFUSE_ENABLED", "false"));
        Process process = builder.start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("the command did not end within " + timeout + ":\n" + Files.readString(out)
                    + "\n" + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
