package io.askexpert.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.askexpert.knowledge.TextEmbedder;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Query embeddings, one inference per query (the path before batching, rebuilt here as it was:
 * LangChain4j's {@code embed} on a pool of platform threads sized to the cores) against
 * {@link TextEmbedder#embed} (concurrent queries batched). For 1, 10 and 100 distinct questions from
 * eval/routing/starter embedded at once on virtual threads; 1 is 30 queries one after another.
 * Repeats alternate before/after. Prints wall time, per-query latency p50/p99, process CPU time, and the
 * lowest cosine between a question's vector in that run and its vector embedded alone.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.askexpert.bench.QueryEmbeddingBatching 3</pre>
 */
public final class QueryEmbeddingBatching {

    private QueryEmbeddingBatching() {
    }

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<String> questions = questions(Path.of("eval/routing/starter/questions.jsonl"), 100);
        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(cores, Thread.ofPlatform().daemon().factory());
        var single = new BgeSmallEnV15QuantizedEmbeddingModel();
        Function<String, float[]> before = q -> CompletableFuture
                .supplyAsync(() -> unit(single.embed(q).content().vector()), pool).join();
        try (var embedder = new TextEmbedder()) {
            embedder.awaitReady();
            Function<String, float[]> after = embedder::embed;
            for (String q : questions.subList(0, 10)) { // warm both paths
                before.apply(q);
                after.apply(q);
            }
            List<float[]> alone = questions.stream().map(before).toList();
            System.out.printf("cores=%d, questions=%d%n", cores, questions.size());
            System.out.println("path   streams rep   wall_ms  p50_ms  p99_ms  cpu_ms  lowest_cos");
            for (int streams : new int[] {1, 10, 100}) {
                for (int r = 1; r <= repeats; r++) {
                    run("before", before, questions, streams, r, alone);
                    run("after", after, questions, streams, r, alone);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void run(String name, Function<String, float[]> embed, List<String> questions, int streams, int rep,
            List<float[]> alone) throws Exception {
        double[] lowest = {1};
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long[] latencies;
        if (streams == 1) {
            latencies = new long[30];
            for (int i = 0; i < latencies.length; i++) {
                long s = System.nanoTime();
                embed.apply(questions.get(i));
                latencies[i] = System.nanoTime() - s;
            }
        } else {
            latencies = new long[streams];
            List<CompletableFuture<Void>> all = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < streams; i++) {
                    int k = i;
                    all.add(CompletableFuture.runAsync(() -> {
                        long s = System.nanoTime();
                        float[] v = embed.apply(questions.get(k));
                        latencies[k] = System.nanoTime() - s;
                        synchronized (lowest) {
                            lowest[0] = Math.min(lowest[0], cosine(v, alone.get(k)));
                        }
                    }, threads));
                }
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
            }
        }
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        Percentiles p = Percentiles.ofNanos(latencies);
        System.out.printf("%-6s %7d %3d %9.1f %7.1f %7.1f %7.0f %8.5f%n", name, streams, rep, wall / 1e6, p.p50(), p.p99(),
                cpu / 1e6, lowest[0]);
    }

    private static List<String> questions(Path file, int n) throws Exception {
        Pattern query = Pattern.compile("\"query\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            Matcher m = query.matcher(line);
            if (m.find() && !out.contains(m.group(1))) {
                out.add(m.group(1).replace("\\\"", "\""));
            }
        }
        return out.subList(0, Math.min(n, out.size()));
    }

    private static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return out;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }
}
