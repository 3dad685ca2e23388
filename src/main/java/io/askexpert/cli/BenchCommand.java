package io.askexpert.cli;

import io.askexpert.auth.JwtSecret;
import io.askexpert.auth.TokenMinter;
import io.askexpert.bench.BenchPlan;
import io.askexpert.bench.BenchRunner;
import io.askexpert.bench.BenchSummary;
import io.askexpert.bench.SoakBench;
import io.askexpert.bench.SoakPlan;
import io.askexpert.config.Secret;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The benchmark: what the service adds to a mode 1 stream, against the mock LLM alone. */
@Command(name = "bench", description = "Benchmarks (docs/PERFORMANCE.md).", subcommands = {BenchCommand.Run.class, BenchCommand.Missions.class,
        BenchCommand.Soak.class})
final class BenchCommand {

    @Command(name = "run", description = "Measure mode 1 directly against the mock LLM and through the service; "
            + "write report.json and report.md.")
    static final class Run implements Callable<Integer> {

        @Option(names = "--quick", description = "one repeat, fewer samples (a smoke run)")
        boolean quick;

        @Option(names = "--out", paramLabel = "DIR", description = "report directory (default bench/results/<time>)")
        @Nullable Path out;

        @Option(names = "--repeats", paramLabel = "N", description = "runs per point (default 3, quick 1)")
        @Nullable Integer repeats;

        @Option(names = "--concurrency", split = ",", paramLabel = "N[,N...]",
                description = "concurrent streams per point (default 1,100,1000)")
        @Nullable List<Integer> concurrency;

        @Option(names = "--probe", split = ",", paramLabel = "N[,N...]",
                description = "stream counts tried for the largest held with no lost frame (default 5000; halved until one holds)")
        @Nullable List<Integer> probe;

        @Option(names = "--no-rag", description = "measure with retrieval off only")
        boolean noRag;

        @Option(names = "--direct-only", description = "measure the mock alone: the load generator's own ceiling")
        boolean directOnly;

        @Option(names = "--profile", description = "record the service with Java Flight Recorder (service.jfr) "
                + "and list its hot methods in the report")
        boolean profile;

        /** The plan these options describe; unset options keep the preset's values. */
        BenchPlan plan(LocalDateTime now) {
            Path dir = out != null ? out
                    : Path.of("bench", "results", now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            BenchPlan plan = quick ? BenchPlan.quick(dir) : BenchPlan.standard(dir);
            if (repeats != null) {
                plan = plan.withRepeats(repeats);
            }
            if (concurrency != null) {
                plan = plan.withConcurrency(concurrency);
            }
            if (probe != null) {
                plan = plan.withProbe(probe);
            }
            return plan.withOptions(!noRag, directOnly, profile);
        }

        /** A token for the benchmark's user, signed with the secret the benchmark gave the service. */
        static String token(String secret, String user) {
            JwtSecret key = new JwtSecret(Secret.of(secret), false, Path.of("JWT_SECRET"));
            return new TokenMinter(key, "authenticated", Clock.systemUTC()).mint("bench", user, false, Duration.ofHours(2));
        }

        @Override
        public Integer call() throws Exception {
            BenchPlan plan = plan(LocalDateTime.now());
            BenchSummary summary = new BenchRunner(plan, System.out, Run::token).run();
            Path report = plan.outDir().toAbsolutePath().resolve("report.md");
            System.out.println("Report: " + report);
            if (summary.serviceNotMeasured() != null && !plan.directOnly()) {
                System.err.println("Through-service half not measured: " + summary.serviceNotMeasured());
                return 2;
            }
            return 0;
        }
    }

    @Command(name = "missions", description = "Missions parked at checkpoints on one service: the threads and memory "
            + "they hold, and decision-to-resume latency (docs/PERFORMANCE.md, Missions).")
    static final class Missions implements Callable<Integer> {

        @Option(names = "--missions", paramLabel = "N", description = "missions to park (default 1000)")
        int missions = 1000;

        @Option(names = "--workers", paramLabel = "N", description = "WORKERS of the service (default 8)")
        int workers = 8;

        @Option(names = "--concurrency", paramLabel = "N", description = "clients creating missions at once (default 16)")
        int concurrency = 16;

        @Option(names = "--deciders", paramLabel = "N", description = "clients deciding checkpoints at once (default 4)")
        int deciders = 4;

        @Option(names = "--database-url", paramLabel = "URL", description = "DATABASE_URL for the service (default: embedded)")
        @Nullable String databaseUrl;

        @Option(names = "--out", paramLabel = "DIR", description = "report directory (default bench/results/missions-<time>)")
        @Nullable Path out;

        @Override
        public Integer call() throws Exception {
            Path dir = out != null ? out : Path.of("bench", "results",
                    "missions-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            return new io.askexpert.bench.MissionBench(new io.askexpert.bench.MissionBench.Options(missions, workers,
                    concurrency, deciders, dir, databaseUrl), System.out, Run::token).run();
        }
    }

    @Command(name = "soak", description = "Hold N mode 1 streams through one service on PostgreSQL and Redis for a "
            + "long run: lost frames, 5xx and heap after GC at the start and end (docs/PERFORMANCE.md, Soak).")
    static final class Soak implements Callable<Integer> {

        @Option(names = "--streams", paramLabel = "N", description = "streams held at once (default 1000)")
        int streams = 1000;

        @Option(names = "--minutes", paramLabel = "M", description = "how long they are held (default 30)")
        double minutes = 30;

        @Option(names = "--heap-every", paramLabel = "MIN", description = "minutes between heap samples (default 5)")
        double heapEvery = 5;

        @Option(names = "--pool-size", paramLabel = "N", description = "the service's DATABASE_POOL_SIZE (default 20)")
        int poolSize = 20;

        @Option(names = "--postgres", paramLabel = "JDBC", description = "PostgreSQL server, without a database "
                + "(default jdbc:postgresql://127.0.0.1:5432/); a scratch database is created and dropped")
        String postgres = "jdbc:postgresql://127.0.0.1:5432/";

        @Option(names = "--redis", paramLabel = "URL", description = "Redis server, without an index "
                + "(default redis://127.0.0.1:6379); a free index 1-15 is claimed and flushed")
        String redis = "redis://127.0.0.1:6379";

        @Option(names = "--out", paramLabel = "DIR", description = "report directory (default bench/results/soak-<time>)")
        @Nullable Path out;

        /** The plan these options describe. */
        SoakPlan plan(LocalDateTime now) {
            Path dir = out != null ? out : Path.of("bench", "results",
                    "soak-" + now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            return new SoakPlan(streams, Duration.ofSeconds(Math.round(minutes * 60)), SoakPlan.SLOW_ANSWER,
                    Duration.ofSeconds(Math.max(10, Math.round(heapEvery * 60))), Duration.ofSeconds(30), poolSize,
                    postgres, redis, dir);
        }

        @Override
        public Integer call() throws Exception {
            return new SoakBench(plan(LocalDateTime.now()), System.out, Run::token).run();
        }
    }
}
