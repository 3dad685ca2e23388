package io.askexpert.cli;

import io.askexpert.database.Migrations;
import io.askexpert.fusion.RoutingEvaluation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eval routing FILE}: routing quality and latency of the fusion engine on a labelled set. */
@Command(name = "routing", description = "Top-1 and top-k accuracy and latency of expert selection on a JSONL "
        + "file of {\"query\", \"expected\": [slug...], \"context\"?} lines, against the configured catalogue.")
final class EvalRouting implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "JSONL file of labelled questions")
    Path file;

    @Option(names = "--top-k", defaultValue = "3", description = "k of top-k accuracy (default 3)")
    int topK;

    @Option(names = "--tenant", defaultValue = "eval", description = "tenant the questions are asked as")
    String tenant;

    @Option(names = "--max-experts", defaultValue = "3", description = "team size asked for (default 3)")
    int maxExperts;

    @Option(names = "--show-misses", description = "list the questions whose lead was not expected")
    boolean showMisses;

    @Override
    public Integer call() throws Exception {
        var cases = RoutingEvaluation.read(file);
        try (ConfigurableApplicationContext context = SpringLauncher.startTool()) {
            // As agents import does: on a fresh database the catalogue would otherwise never load.
            context.getBean(Migrations.class).upgrade(null);
            RoutingEvaluation evaluation = context.getBean(RoutingEvaluation.class);
            int experts = evaluation.awaitCatalogue(Duration.ofMinutes(5));
            System.out.printf("catalogue: %d experts%n", experts);
            if (experts == 0) {
                System.err.println("error: the catalogue is empty; import experts first, e.g. ask-expert agents import "
                        + "src/main/resources/starter/agents.yaml (a serving instance loads that file on its first start)");
                return 1;
            }
            var report = evaluation.run(cases, topK, tenant, maxExperts);
            String text = RoutingEvaluation.format(report);
            System.out.print(showMisses ? text : text.substring(0, indexOrEnd(text, "top-1 misses:")));
            return 0;
        }
    }

    private static int indexOrEnd(String text, String marker) {
        int i = text.indexOf(marker);
        return i < 0 ? text.length() : i;
    }
}
