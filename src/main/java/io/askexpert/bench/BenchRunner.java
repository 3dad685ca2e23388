package io.askexpert.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The mode 1 overhead benchmark: starts the mock LLM (core 1) and the service on the embedded
 * default (core 0), then for each concurrency measures the mock directly and through the service
 * back to back, so both see the same machine at the same moment. The difference is what the
 * service adds. Writes {@code report.json} and {@code report.md} to the output directory.
 * When the service cannot stream mode 1, the direct half is still measured and the report says
 * why the rest is missing.
 */
public final class BenchRunner {

    private final BenchPlan plan;
    private final PrintStream out;
    private final BiFunction<String, String, String> tokenMinter;
    private final SseLoadGenerator load = new SseLoadGenerator();

    /** @param tokenMinter (secret, user) → a bearer token the service accepts */
    public BenchRunner(BenchPlan plan, PrintStream out, BiFunction<String, String, String> tokenMinter) {
        this.plan = plan;
        this.out = out;
        this.tokenMinter = tokenMinter;
    }

    /** Runs the plan and writes the report; the summary says whether the service half was measured. */
    public BenchSummary run() throws IOException, InterruptedException {
        Files.createDirectories(plan.outDir());
        BenchSummary summary;
        ServiceMeasures.Startup startup = plan.directOnly() ? null : startup();
        try (BenchServices services = new BenchServices(plan)) {
            out.println("Starting the mock LLM" + (BenchProcess.canPin() ? " (pinned to core 1)" : " (not pinned)"));
            services.startMock(plan.latency());
            String notMeasured = "only the mock was measured (--direct-only)";
            if (!plan.directOnly()) {
                out.println("Starting the service on the embedded default"
                        + (BenchProcess.canPin() ? " (pinned to core 0)" : "") + "; logs in " + plan.outDir());
                notMeasured = services.startService(tokenMinter);
                if (notMeasured != null) {
                    out.println("Through-service half NOT measured: " + notMeasured);
                }
            }
            boolean withService = notMeasured == null;
            long idleRss = services.rssNowMiB();
            ServiceMeasures.IdleStreams idle = null;
            if (withService) {
                // First, while the service's heap is as small as it gets: after thousands of streams
                // the heap has grown to its limit and new streams no longer show in resident memory.
                out.println("Restarting the mock with a slow first token; " + BenchPlan.IDLE_STREAMS + " idle streams");
                services.startMock(BenchPlan.IDLE);
                idle = services.idleStreams(load, BenchPlan.IDLE_STREAMS, BenchPlan.IDLE);
                out.printf("idle streams: %,d open, RSS %,d KiB before, %,d KiB while open: %.1f KiB per stream%n",
                        idle.streams(), idle.rssBeforeKiB(), idle.rssHeldKiB(), idle.kibPerStream());
                long inFlight = services.awaitModelCallsDrained(Duration.ofSeconds(60));
                if (inFlight != 0) {
                    out.println("after 60 s the service still held " + (inFlight < 0 ? "an unknown number of"
                            : String.valueOf(inFlight)) + " model calls of the idle streams; the mock is replaced anyway");
                }
                services.startMock(plan.latency());
            }
            warmUp(services, withService);
            List<BenchSummary.Point> points = new ArrayList<>();
            for (boolean rag : plan.ragOn() ? List.of(false, true) : List.of(false)) {
                for (int streams : plan.concurrency()) {
                    points.add(point(services, withService, rag, streams));
                }
            }
            out.println("Restarting the mock with long answers for the concurrency probe");
            services.startMock(plan.hold());
            List<BenchSummary.ProbeStep> probe = probe(services, withService);
            ServiceMeasures.Throughput throughput = throughput(services, withService);
            BenchSummary.Rss rss = services.rss(idleRss);
            services.close();
            List<BenchSummary.HotMethod> hot = plan.profile() && withService
                    ? HotMethods.summarize(services.jfrFile(), 25) : List.of();
            summary = BenchSummary.assemble(Instant.now().toString(),
                    new BenchSummary.Machine(BenchProcess.machineCores(), BenchProcess.canPin(),
                            Runtime.version().toString()), plan, notMeasured, points, probe, rss,
                    new ServiceMeasures(throughput, idle, startup), hot);
        }
        JsonMapper json = JsonMapper.builder().build();
        json.writerWithDefaultPrettyPrinter().writeValue(plan.outDir().resolve("report.json").toFile(), summary);
        Files.writeString(plan.outDir().resolve("report.md"), BenchReport.markdown(summary));
        out.println();
        out.print(BenchReport.targetsTable(summary));
        return summary;
    }

    /**
     * The launcher's start-up, before anything else runs: {@code ASK_EXPERT_LAUNCHER} (set by
     * {@code bench/run.sh}) names it; without it, or when it fails, the row is not measured.
     */
    private ServiceMeasures.@Nullable Startup startup() throws InterruptedException {
        String launcher = System.getenv("ASK_EXPERT_LAUNCHER");
        if (launcher == null || launcher.isBlank()) {
            out.println("Start-up not measured: ASK_EXPERT_LAUNCHER is not set (bench/run.sh sets it)");
            return null;
        }
        out.println("Timing the launcher's start to /health: a first start, then " + BenchPlan.LATER_STARTS
                + " later ones on the same data (logs start-*.log)");
        try {
            ServiceMeasures.Startup s = new StartupProbe(Path.of(launcher), plan.outDir())
                    .measure(BenchPlan.LATER_STARTS, BenchPlan.IDLE_BEFORE_RSS);
            out.printf("start to /health: first %.2f s, later %s s; idle RSS %s MiB%n", s.firstSeconds(),
                    s.laterSeconds(), s.idleRssMiB());
            return s;
        } catch (IOException e) {
            out.println("Start-up not measured: " + e.getMessage());
            return null;
        }
    }

    /** Answers per second, closed loop: each stream asks again as soon as its answer ends. */
    private ServiceMeasures.@Nullable Throughput throughput(BenchServices services, boolean withService)
            throws IOException, InterruptedException {
        out.println("Restarting the mock with no token delay for the throughput run");
        services.startMock(BenchPlan.THROUGHPUT);
        int n = BenchPlan.THROUGHPUT_IN_FLIGHT;
        load.run("throughput warm-up direct", services.directSpec(n, BenchPlan.THROUGHPUT).withRounds(2, 0));
        LoadReport direct = load.run("throughput direct",
                services.directSpec(n, BenchPlan.THROUGHPUT).withRounds(BenchPlan.THROUGHPUT_ROUNDS, 0));
        if (!withService) {
            return null;
        }
        load.run("throughput warm-up service", services.serviceSpec(n, false, BenchPlan.THROUGHPUT).withRounds(2, 0));
        LoadReport through = load.run("throughput service",
                services.serviceSpec(n, false, BenchPlan.THROUGHPUT).withRounds(BenchPlan.THROUGHPUT_ROUNDS, 0));
        ServiceMeasures.Throughput t = new ServiceMeasures.Throughput(n, BenchPlan.THROUGHPUT.answerTokens(),
                perSecond(direct), perSecond(through), through.requests(), through.errors(), through.streamsWithLostFrames());
        out.printf("throughput, %d in flight: direct %.0f answers/s, through the service %.0f answers/s (%d errors)%n",
                n, t.directPerSecond(), t.servicePerSecond(), t.serviceErrors());
        return t;
    }

    private static double perSecond(LoadReport r) {
        return r.wallSeconds() <= 0 ? 0 : Math.round(r.completed() / r.wallSeconds() * 10) / 10.0;
    }

    private BenchSummary.Point point(BenchServices services, boolean withService, boolean rag, int streams) {
        String scenario = rag ? AddedLatency.RAG_ON : AddedLatency.RAG_OFF;
        int rounds = plan.roundsFor(streams);
        // Streams arrive over up to a second and their first round is not counted: the points measure
        // N streams held at once on open connections, not N connects in the same instant.
        Duration ramp = Duration.ofMillis(streams == 1 ? 0 : Math.min(1000, streams));
        List<LoadReport> direct = new ArrayList<>();
        List<LoadReport> through = new ArrayList<>();
        for (int r = 0; r < plan.repeats(); r++) {
            direct.add(load.run("direct " + streams + (rag ? " rag" : ""),
                    services.directSpec(streams, plan.latency()).withRampUp(ramp).withRounds(rounds, 1)));
            if (withService) {
                through.add(load.run("service " + streams + (rag ? " rag" : ""),
                        services.serviceSpec(streams, rag, plan.latency()).withRampUp(ramp).withRounds(rounds, 1)));
            }
        }
        BenchSummary.Point point = new BenchSummary.Point(scenario, streams, rounds, direct, through);
        if (withService) {
            AddedLatency a = AddedLatency.of(scenario, streams, direct, through);
            out.printf("%-14s %5d streams: added TTFT p50 %s ms, p99 %s ms; added gap p99 %s ms; lost-frame streams %d%n",
                    scenario, streams, a.ttftP50(), a.ttftP99(), a.gapP99(), a.lostFrameStreams());
        } else {
            LoadReport last = direct.getLast();
            out.printf("%-14s %5d streams direct: TTFT p50 %.1f ms, p99 %.1f ms; gap p99 %.1f ms; lost-frame streams %d%n",
                    scenario, streams, last.firstTokenMs().p50(), last.firstTokenMs().p99(), last.gapMs().p99(),
                    last.streamsWithLostFrames());
        }
        return point;
    }

    private List<BenchSummary.ProbeStep> probe(BenchServices services, boolean withService) {
        List<BenchSummary.ProbeStep> steps = new ArrayList<>();
        List<ConcurrencyProbe.Outcome> outcomes = new ArrayList<>();
        for (OptionalInt next = ConcurrencyProbe.next(plan.probe(), outcomes); next.isPresent();
             next = ConcurrencyProbe.next(plan.probe(), outcomes)) {
            int streams = next.getAsInt();
            // Opening thousands of connections in one instant measures the accept queue, not streaming.
            Duration ramp = Duration.ofMillis(Math.max(1000, streams));
            LoadReport direct = load.run("probe direct " + streams, services.directSpec(streams, plan.hold()).withRampUp(ramp));
            @Nullable LoadReport through = withService
                    ? load.run("probe service " + streams, services.serviceSpec(streams, false, plan.hold()).withRampUp(ramp))
                    : null;
            steps.add(new BenchSummary.ProbeStep(streams, direct, through));
            LoadReport judged = through == null ? direct : through;
            outcomes.add(ConcurrencyProbe.Outcome.of(judged));
            out.printf("probe %5d streams: direct lost-frame streams %d; %s%n", streams, direct.streamsWithLostFrames(),
                    through == null ? "service not measured" : "service lost-frame streams " + through.streamsWithLostFrames()
                            + ", errors " + through.errors() + (through.sampleErrors().isEmpty() ? "" : " " + through.sampleErrors()));
        }
        return steps;
    }

    private void warmUp(BenchServices services, boolean withService) {
        out.println("Warming up (discarded)...");
        for (int i = 0; i < 3; i++) {
            load.run("warmup direct", services.directSpec(100, plan.latency()));
            if (withService) {
                load.run("warmup service", services.serviceSpec(100, false, plan.latency()));
                if (plan.ragOn()) {
                    load.run("warmup service rag", services.serviceSpec(20, true, plan.latency()));
                }
            }
        }
    }
}
