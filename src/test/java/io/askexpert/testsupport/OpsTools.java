package io.askexpert.testsupport;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Operations tools the tests drive (nginx, promtool, pg_dump, jq). {@code .ci/run} installs them,
 * so under {@code CI=true} a missing one fails the test; on a developer's machine without them
 * the test is skipped with the install command.
 */
public final class OpsTools {

    private OpsTools() {
    }

    public static Path require(String command, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/usr/bin", "/sbin"}) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String why = command + " is not installed (apt-get install " + debianPackage + "; .ci/run does it)";
        if ("true".equals(System.getenv("CI"))) {
            fail(why);
        }
        Assumptions.abort(why);
        throw new IllegalStateException("unreachable");
    }

    /** Runs a command to completion; returns its exit code and combined output. */
    public static Result run(Path workDir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    public record Result(int exitCode, String output) {
    }
}
