package io.askexpert.cli;

import io.askexpert.auth.TenantContext;
import io.askexpert.evaluation.BeirCorpus;
import io.askexpert.evaluation.BenchmarkCorpus;
import io.askexpert.knowledge.DocumentInput;
import io.askexpert.knowledge.DocumentParser;
import io.askexpert.knowledge.IngestReport;
import io.askexpert.knowledge.KnowledgeBase;
import io.askexpert.evaluation.RetrievalBenchmark;
import io.askexpert.knowledge.TextEmbedder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eval retrieval-latency}: p50/p99 of knowledge search over a large corpus (docs/KNOWLEDGE.md). */
@Command(name = "retrieval-latency", description = "p50/p99 of knowledge search (the path of POST /knowledge/search) "
        + "per strategy over a corpus of at least --chunks chunks made from a BEIR folder's real text (source "
        + "documents embedded, variants' vectors derived), with the query embedding timed apart. The corpus "
        + "goes to tenant 'bench' and is removed afterwards unless --keep; a kept corpus is measured again "
        + "without loading.")
final class EvalRetrievalLatency implements Callable<Integer> {

    static final String TENANT = "bench";
    static final String NAMESPACE = "bench-retrieval";

    @Parameters(paramLabel = "DIR", description = "BEIR folder: corpus.jsonl (the text) and queries.jsonl (the questions)")
    Path dir;
    @Option(names = "--chunks", defaultValue = "100000", description = "chunks in the corpus (default: ${DEFAULT-VALUE})")
    int chunks;
    @Option(names = "--queries", defaultValue = "1000", description = "measured queries per strategy (default: ${DEFAULT-VALUE})")
    int queries;
    @Option(names = "--warmup", defaultValue = "100", description = "unmeasured queries first (default: ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--top-k", defaultValue = "10", description = "results per search (default: ${DEFAULT-VALUE}, the API's)")
    int topK;
    @Option(names = "--seed", defaultValue = "42", description = "seed of the derived vectors (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--keep", description = "keep the corpus for later runs") boolean keep;

    @Override
    public Integer call() {
        Path corpusFile = dir.resolve("corpus.jsonl");
        Path queriesFile = dir.resolve("queries.jsonl");
        for (Path p : List.of(corpusFile, queriesFile)) {
            if (!Files.isRegularFile(p)) {
                System.err.println("error: " + p + " not found (BEIR layout: corpus.jsonl, queries.jsonl)");
                return 2;
            }
        }
        List<String> texts = new ArrayList<>(BeirCorpus.queries(queriesFile).values());
        TenantContext owner = new TenantContext(TENANT, "cli", true);
        try (ConfigurableApplicationContext context = KnowledgeCommands.open()) {
            KnowledgeBase kb = context.getBean(KnowledgeBase.class);
            TextEmbedder embedder = context.getBean(TextEmbedder.class);
            RetrievalBenchmark bench = new RetrievalBenchmark(kb, embedder);
            try {
                long held = bench.chunks(TENANT);
                if (held >= chunks) {
                    System.out.printf("corpus: %,d chunk(s) kept from an earlier run (tenant '%s')%n", held, TENANT);
                } else if (!load(kb, embedder, bench, owner, held)) {
                    return 1;
                }
                ProgressBar bar = new ProgressBar(System.err, "measure", warmup + queries);
                RetrievalBenchmark.Report report = bench.measure(TENANT, List.of(), texts, queries, warmup, topK, bar::update);
                System.out.println();
                System.out.print(report.table());
                System.out.printf("search rows exclude the query embedding; machine: %d core(s), load average %s%n",
                        Runtime.getRuntime().availableProcessors(), loadAverage());
            } finally {
                if (!keep) {
                    kb.deleteNamespace(owner, NAMESPACE);
                } else {
                    System.out.println("kept: tenant '" + TENANT + "', namespace '" + NAMESPACE + "'");
                }
            }
        }
        return 0;
    }

    private boolean load(KnowledgeBase kb, TextEmbedder embedder, RetrievalBenchmark bench, TenantContext owner, long held) {
        if (held > 0) {
            System.out.printf("corpus: %,d chunk(s) kept, fewer than %,d: loading again%n", held, chunks);
            kb.deleteNamespace(owner, NAMESPACE);
        }
        List<DocumentInput> sources = BeirCorpus.documents(dir.resolve("corpus.jsonl"),
                new DocumentParser.Defaults(NAMESPACE, null, false, "bench"));
        ProgressBar embedBar = new ProgressBar(System.err, "embed sources", sources.size());
        BenchmarkCorpus corpus = BenchmarkCorpus.build(sources, chunks, embedder, seed, embedBar::update);
        System.out.printf("corpus: %,d document(s), %,d chunk(s) (%d round(s) of %s), sources embedded in %.1f s%n",
                corpus.documents().size(), corpus.chunks(), corpus.rounds(), dir.getFileName(), embedBar.elapsedSeconds());
        ProgressBar loadBar = new ProgressBar(System.err, "load", corpus.documents().size());
        AtomicInteger done = new AtomicInteger();
        IngestReport report = bench.load(TENANT, corpus, o -> loadBar.update(done.incrementAndGet()));
        System.out.printf("loaded: %,d document(s), %,d chunk(s), %d failed, in %.1f s (vector store: %s)%n",
                report.succeeded(), report.chunks(), report.failed(), loadBar.elapsedSeconds(), kb.vectorStore());
        return report.failed() == 0;
    }

    /** {@code /proc/loadavg}'s three averages, or what the JVM knows elsewhere. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return String.format(java.util.Locale.ROOT, "%.2f",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
