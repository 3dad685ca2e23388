package io.askexpert.cli;

import io.askexpert.config.EnvironmentReport;
import io.askexpert.config.EnvironmentReport.Line;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Reports every environment variable: set, default, missing or invalid. Never prints a secret. */
@Command(name = "check-env", description = "Verify environment variables (runbook pre-flight check 1).")
final class CheckEnvCommand implements Callable<Integer> {

    @Option(names = "--local", description = "embedded default: variables required in production may be missing")
    boolean local;

    @Override
    public Integer call() {
        List<Line> lines = EnvironmentReport.evaluate(System.getenv());
        System.out.printf("%-26s %-8s %s%n", "VARIABLE", "STATUS", "DETAIL");
        for (Line line : lines) {
            System.out.printf("%-26s %-8s %s%n", line.variable().name(),
                    line.status().name().toLowerCase(java.util.Locale.ROOT), line.detail());
        }
        long invalid = lines.stream().filter(l -> l.status() == EnvironmentReport.Status.INVALID).count();
        long missing = lines.stream().filter(l -> l.status() == EnvironmentReport.Status.MISSING).count();
        System.out.println();
        System.out.printf("%d invalid, %d missing of %d variables%n", invalid, missing, lines.size());
        if (invalid > 0 || (missing > 0 && !local)) {
            System.out.println(missing > 0 && !local
                    ? "Environment check FAILED (use --local for the embedded default, which needs none of the required ones)"
                    : "Environment check FAILED");
            return 1;
        }
        System.out.println("Environment check passed");
        return 0;
    }
}
