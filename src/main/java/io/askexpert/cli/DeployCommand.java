package io.askexpert.cli;

import io.askexpert.deploy.DeployVerifier;
import io.askexpert.deploy.RollbackRules;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code deploy verify}: the runbook's automatic-rollback rules as a command scripts can gate on. */
@Command(name = "deploy", description = "Deployment checks: verify (the runbook's automatic-rollback rules).",
        subcommands = DeployCommand.Verify.class)
final class DeployCommand {

    /** Exit 0: keep the release; 1: roll it back; 2: bad arguments. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Reads /metrics of a new release's instances and says keep or roll back, by the runbook's",
                    "rules: /health not answering 200 after 60 s, 5xx rate above 5 %, p99 latency above 30 s.",
                    "Exit 0: keep; 1: roll back (reasons printed); 2: bad arguments."})
    static final class Verify implements Callable<Integer> {
        @Option(names = "--url", required = true, split = ",", paramLabel = "URL",
                description = "an instance of the new release (repeat or comma-separate for several)")
        List<URI> urls;

        @Option(names = "--since", defaultValue = "5m", converter = AnyDuration.class, paramLabel = "DURATION",
                description = "the window the rules read, default ${DEFAULT-VALUE}: since the process started when "
                        + "it is younger, else from now on")
        Duration since;

        @Option(names = "--from-start",
                description = "count each instance's traffic since it started, whatever its age (no waiting)")
        boolean fromStart;

        @Option(names = "--watch", defaultValue = "0s", converter = AnyDuration.class, paramLabel = "DURATION",
                description = "keep re-checking this long, stopping at the first breach (default ${DEFAULT-VALUE})")
        Duration watch;

        @Option(names = "--interval", defaultValue = "5s", converter = PositiveDuration.class, paramLabel = "DURATION",
                description = "between checks while watching (default ${DEFAULT-VALUE})")
        Duration interval;

        @Option(names = "--health-grace", defaultValue = "60s", converter = PositiveDuration.class,
                paramLabel = "DURATION", description = "how long /health may fail (default ${DEFAULT-VALUE})")
        Duration healthGrace;

        @Option(names = "--max-error-rate", defaultValue = "5", paramLabel = "PERCENT",
                description = "5xx share of requests that means roll back (default ${DEFAULT-VALUE} %%)")
        double maxErrorRatePercent;

        @Option(names = "--max-p99", defaultValue = "30s", converter = PositiveDuration.class, paramLabel = "DURATION",
                description = "p99 latency that means roll back (default ${DEFAULT-VALUE})")
        Duration maxP99;

        @Option(names = "--min-requests", defaultValue = "10", paramLabel = "N",
                description = "requests needed before the rate and latency rules apply (default ${DEFAULT-VALUE})")
        long minRequests;

        @Override
        public Integer call() throws InterruptedException {
            RollbackRules rules;
            try {
                rules = new RollbackRules(maxErrorRatePercent / 100, maxP99, minRequests);
            } catch (IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                return 2;
            }
            var settings = new DeployVerifier.Settings(urls, rules, since, watch, interval, healthGrace, fromStart);
            DeployVerifier.Verdict verdict = new DeployVerifier().verify(settings, line -> System.out.println("  " + line));
            if (verdict.rollBack()) {
                System.out.println("ROLL BACK: " + String.join("; ", verdict.reasons()));
                return 1;
            }
            System.out.println("KEEP: within the runbook's rollback rules");
            return 0;
        }
    }

    static final class AnyDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return OperatorDurations.parse("a duration", value, true);
        }
    }

    static final class PositiveDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return OperatorDurations.parse("a duration", value, false);
        }
    }
}
