package io.askexpert.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ask-expert bench soak}: one service on PostgreSQL and Redis (a scratch database and a
 * claimed Redis index on the machine's servers) and the mock LLM, {@code streams} mode 1 streams
 * held through it for the whole hold, each asking again as soon as its answer ends. Every answer
 * is checked frame by frame ({@link SoakStream}); the service's heap after a full collection is
 * read when every stream has answered once and again at the end of the hold, with every stream
 * still live both times. Prints progress while it runs, writes {@code soak.json},
 * {@code soak.txt}, the service's GC log and class histograms at the start and end of the hold.
 */
public final class SoakBench {

    private final SoakPlan plan;
    private final PrintStream out;
    private final BiFunction<String, String, String> tokenMinter;
    private final JsonMapper json = JsonMapper.builder().build();

    public SoakBench(SoakPlan plan, PrintStream out, BiFunction<String, String, String> tokenMinter) {
        this.plan = plan;
        this.out = out;
        this.tokenMinter = tokenMinter;
    }

    /** @return 0 when every criterion is met, 1 when one is not, 2 when the soak could not run */
    public int run() throws IOException, InterruptedException {
        Files.createDirectories(plan.outDir());
        String startedAt = Instant.now().toString();
        out.printf("Load average %s; logs in %s%n", loadAverage(), plan.outDir().toAbsolutePath());
        Duration lease = plan.hold().plus(plan.settle()).plusMinutes(20);
        try (SoakStores stores = SoakStores.create(plan.serverUrl(), plan.redisUrl(), lease);
             BenchServices services = new BenchServices(plan.outDir(), false)) {
            out.println("Scratch stores: " + stores.describe() + "; starting the mock LLM and the service");
            services.startMock(plan.answer());
            String refused = services.startService(tokenMinter, List.of("-Xmx2g", HeapAfterGc.logFlag(gcLog())), Map.of(
                    "DATABASE_URL", stores.databaseUrl(), "REDIS_URL", stores.redisUrl(),
                    "DATABASE_POOL_SIZE", String.valueOf(plan.poolSize())));
            if (refused != null) {
                out.println("Soak NOT run: " + refused);
                return 2;
            }
            BenchProcess service = services.service().orElseThrow();
            SoakSummary summary = soak(services, service, startedAt);
            json.writerWithDefaultPrettyPrinter().writeValue(plan.outDir().resolve("soak.json").toFile(), summary);
            Files.writeString(plan.outDir().resolve("soak.txt"), summary.text());
            out.println();
            out.print(summary.text());
            return summary.passed() ? 0 : 1;
        }
    }

    private SoakSummary soak(BenchServices services, BenchProcess service, String startedAt)
            throws IOException, InterruptedException {
        long heapIdleBefore = HeapAfterGc.sampleKiB(service.pid(), gcLog()).orElse(-1);
        JsonNode mockBefore = services.mockStats();
        LoadSpec spec = services.serviceSpec(plan.streams(), false, plan.answer());
        SoakTally tally = new SoakTally();
        AtomicBoolean stop = new AtomicBoolean();
        List<SoakSummary.HeapSample> heap = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        long rssStart = -1;
        long rssEnd = -1;
        long liveSum = 0;
        long liveSamples = 0;
        int liveMin = Integer.MAX_VALUE;
        long t0 = System.nanoTime();
        long holdStart = t0 + plan.rampUp().toNanos();
        long holdEnd = holdStart + plan.hold().toNanos();
        long nextHeap = t0 + plan.settle().toNanos();
        long nextProgress = t0 + plan.progressEvery().toNanos();
        out.printf("Opening %,d streams over %d s, then holding them for %.1f min%n", plan.streams(),
                plan.rampUp().toSeconds(), plan.hold().toSeconds() / 60.0);
        try (ExecutorService streams = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < plan.streams(); i++) {
                long startAt = t0 + plan.rampUp().toNanos() * i / plan.streams();
                streams.submit(() -> keepAsking(spec, tally, stop, startAt));
            }
            while (System.nanoTime() < holdEnd) {
                TimeUnit.SECONDS.sleep(1);
                long now = System.nanoTime();
                if (now >= holdStart) {
                    int live = tally.live();
                    liveSum += live;
                    liveSamples++;
                    liveMin = Math.min(liveMin, live);
                    if (rssStart < 0) {
                        rssStart = service.rssMiB().map(r -> r[0]).orElse(-1L);
                    }
                }
                if (now >= nextHeap && now < holdEnd) {
                    if (heap.isEmpty()) {
                        HeapAfterGc.histogram(service.pid(), plan.outDir().resolve("histogram-start.txt"));
                    }
                    heap.add(heapSample(service, tally, minutesSince(holdStart)));
                    nextHeap += plan.heapEvery().toNanos();
                }
                if (now >= nextProgress) {
                    loads.add(loadOneMinute());
                    progress(tally, service, minutesSince(t0));
                    nextProgress += plan.progressEvery().toNanos();
                }
            }
            // The end is read before any stream stops, as the start was: both with every stream live.
            heap.add(heapSample(service, tally, minutesSince(holdStart)));
            HeapAfterGc.histogram(service.pid(), plan.outDir().resolve("histogram-end.txt"));
            rssEnd = service.rssMiB().map(r -> r[0]).orElse(-1L);
            loads.add(loadOneMinute());
            stop.set(true);
            out.println("Hold over; letting the streams in flight finish");
        }
        long heapIdleAfter = HeapAfterGc.sampleKiB(service.pid(), gcLog()).orElse(-1);
        HeapAfterGc.histogram(service.pid(), plan.outDir().resolve("histogram-idle-after.txt"));
        JsonNode mockAfter = services.mockStats();
        SoakTally.Snapshot s = tally.snapshot();
        return new SoakSummary(startedAt, plan.streams(), plan.hold().toSeconds() / 60.0, plan.answer(), plan.poolSize(),
                liveSamples == 0 ? 0 : Math.round(liveSum * 10.0 / liveSamples) / 10.0,
                liveSamples == 0 ? 0 : liveMin, s.answers(), s.clean(), s.tokens(), s.failures(), s.examples(),
                delta(mockBefore, mockAfter, "frames_sent"), delta(mockBefore, mockAfter, "streams_completed"),
                heapIdleBefore, heapIdleAfter, heap, rssStart, rssEnd, service.rssMiB().map(r -> r[1]).orElse(-1L), loads);
    }

    /** One stream: asks, checks, asks again, until the hold is over; a failure waits a moment before the next. */
    private void keepAsking(LoadSpec spec, SoakTally tally, AtomicBoolean stop, long startAt) {
        try {
            TimeUnit.NANOSECONDS.sleep(Math.max(0, startAt - System.nanoTime()));
            try (SoakStream stream = new SoakStream(spec, json)) {
                while (!stop.get()) {
                    tally.started();
                    SoakStream.Outcome outcome = stream.ask();
                    tally.ended(outcome);
                    if (outcome.failure() != null) {
                        TimeUnit.MILLISECONDS.sleep(200);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private SoakSummary.HeapSample heapSample(BenchProcess service, SoakTally tally, double minute)
            throws InterruptedException {
        int live = tally.live();
        OptionalLong used = HeapAfterGc.sampleKiB(service.pid(), gcLog());
        SoakSummary.HeapSample sample = new SoakSummary.HeapSample(Math.round(minute * 10) / 10.0, used.orElse(-1), live);
        out.printf(Locale.ROOT, "heap after GC at %.1f min of the hold: %.1f MiB (%,d streams live)%n", sample.minute(),
                sample.usedKiB() / 1024.0, live);
        return sample;
    }

    private Path gcLog() {
        return plan.outDir().resolve("service-gc.log");
    }

    private void progress(SoakTally tally, BenchProcess service, double minutes) {
        SoakTally.Snapshot s = tally.snapshot();
        out.printf(Locale.ROOT, "[%5.1f min] live %,d; answers %,d (clean %,d); tokens %,d; 5xx %d; lost-frame answers %d; "
                        + "RSS %,d MiB; load %s%n", minutes, tally.live(), s.answers(), s.clean(), s.tokens(),
                s.serverErrors(), s.lostFrameAnswers(), service.rssMiB().map(r -> r[0]).orElse(-1L), loadAverage());
    }

    private static double minutesSince(long nanos) {
        return (System.nanoTime() - nanos) / 60e9;
    }

    private static long delta(JsonNode before, JsonNode after, String field) {
        return after.path(field).asLong() - before.path(field).asLong();
    }

    private static String loadAverage() {
        try {
            return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double loadOneMinute() {
        try {
            return Double.parseDouble(loadAverage().split(" ")[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
