package io.askexpert.cli;

import io.askexpert.auth.TokenMinter;
import io.askexpert.agents.AgentCatalog;
import io.askexpert.config.ProcessRole;
import io.askexpert.evaluation.FusionBenchmark;
import io.askexpert.fusion.FusionCatalogue;
import io.askexpert.fusion.FusionEngine;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eval fusion-latency}: the fusion benchmark (bench/fusion.sh runs it per catalogue size). */
@Command(name = "fusion-latency", description = "p50/p99 of expert selection over HTTP (POST /mode2/fusion/select) "
        + "and as a direct engine call, with the question embedding reported apart. Starts the service on a "
        + "free port against the configured database, optionally adds a synthetic catalogue, turns the "
        + "selection cache and rate limits off, and asks sequentially.")
final class EvalFusionLatency implements Callable<Integer> {
    @Option(names = "--synthetic", defaultValue = "0",
            description = "synthetic experts to add to the catalogue first (0 = the catalogue as it is)")
    int synthetic;

    @Option(names = "--requests", defaultValue = "500", description = "measured selections per path")
    int requests;

    @Option(names = "--warmup", defaultValue = "100", description = "selections before measuring")
    int warmup;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the synthetic catalogue and questions")
    long seed;

    @Option(names = "--label", description = "name of the run in the report")
    String label;

    @Option(names = "--questions", description = "JSONL file of {\"query\": ...} lines to ask in turn "
            + "(default: questions generated in the synthetic catalogue's vocabulary)")
    Path questions;

    @Override
    public Integer call() throws Exception {
        try (ConfigurableApplicationContext context = SpringLauncher.startRole(ProcessRole.API, "--server.port=0",
                "--ask-expert.fusion.cache-ttl=0", "--ask-expert.rate-limits.enabled=false",
                "--logging.level.io.askexpert=WARN")) {
            FusionBenchmark bench = new FusionBenchmark(context.getBean(FusionEngine.class),
                    context.getBean(FusionCatalogue.class), context.getBean(AgentCatalog.class));
            if (synthetic > 0) {
                long started = System.nanoTime();
                int written = bench.loadSynthetic(synthetic, seed);
                System.out.printf("synthetic experts written: %d in %d s%n", written,
                        Duration.ofNanos(System.nanoTime() - started).toSeconds());
            }
            long started = System.nanoTime();
            int experts = bench.awaitCatalogue(Duration.ofMinutes(30));
            System.out.printf("catalogue snapshot: %d experts (ready after %d s)%n", experts,
                    Duration.ofNanos(System.nanoTime() - started).toSeconds());
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            String bearer = "Bearer " + context.getBean(TokenMinter.class)
                    .mint("bench", "fusion-bench", false, Duration.ofHours(1));
            var run = bench.measure(label != null ? label : synthetic > 0 ? "synthetic " + synthetic : "as configured",
                    URI.create("http://127.0.0.1:" + port + "/api/v1/expert/mode2/fusion/select"), bearer, "bench",
                    questions != null ? FusionBenchmark.questionsFrom(questions, requests)
                            : FusionBenchmark.syntheticQuestions(requests, seed + 1), warmup);
            System.out.print(FusionBenchmark.format(List.of(run)));
            return run.errors() == 0 ? 0 : 1;
        }
    }
}
