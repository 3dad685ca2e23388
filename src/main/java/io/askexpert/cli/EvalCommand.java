package io.askexpert.cli;

import io.askexpert.auth.TenantContext;
import io.askexpert.evaluation.BeirCorpus;
import io.askexpert.knowledge.DocumentInput;
import io.askexpert.knowledge.DocumentParser;
import io.askexpert.knowledge.IngestReport;
import io.askexpert.knowledge.KnowledgeBase;
import io.askexpert.evaluation.RetrievalEvaluation;
import io.askexpert.knowledge.SearchStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eval …}: measured quality, not guessed. */
@Command(name = "eval", description = "Evaluate retrieval quality and expert routing.",
        subcommands = {EvalCommand.Retrieval.class, EvalRetrievalLatency.class, EvalRouting.class,
                EvalFusionLatency.class})
final class EvalCommand {

    @Command(name = "retrieval", description = "Ingest a BEIR folder into a scratch namespace and print nDCG@10 and Recall@100.")
    static final class Retrieval implements Callable<Integer> {

        @Parameters(paramLabel = "DIR", description = "BEIR folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv")
        Path dir;
        @Option(names = "--split", defaultValue = "test", description = "qrels split (default: ${DEFAULT-VALUE})")
        String split;
        @Option(names = "--strategies", split = ",", defaultValue = "hybrid,keyword,vector",
                description = "strategies to score (default: ${DEFAULT-VALUE})")
        List<String> strategies;
        @Option(names = "--keep", description = "keep the scratch namespace afterwards") boolean keep;

        @Override
        public Integer call() {
            Path corpus = dir.resolve("corpus.jsonl");
            Path queriesFile = dir.resolve("queries.jsonl");
            Path qrelsFile = dir.resolve("qrels").resolve(split + ".tsv");
            for (Path p : List.of(corpus, queriesFile, qrelsFile)) {
                if (!Files.isRegularFile(p)) {
                    System.err.println("error: " + p + " not found (BEIR layout: corpus.jsonl, queries.jsonl, qrels/<split>.tsv)");
                    return 2;
                }
            }
            List<SearchStrategy> chosen = strategies.stream().map(SearchStrategy::parse).toList();
            String namespace = "eval-" + UUID.randomUUID().toString().substring(0, 8);
            TenantContext evaluator = new TenantContext("eval", "cli", true);
            List<DocumentInput> documents = BeirCorpus.documents(corpus, new DocumentParser.Defaults(namespace, null, false, "eval"));
            Map<String, String> queries = BeirCorpus.queries(queriesFile);
            Map<String, Map<String, Integer>> qrels = BeirCorpus.qrels(qrelsFile);

            try (ConfigurableApplicationContext context = KnowledgeCommands.open()) {
                KnowledgeBase kb = context.getBean(KnowledgeBase.class);
                try {
                    ProgressBar ingestBar = new ProgressBar(System.err, "ingest", documents.size());
                    AtomicInteger done = new AtomicInteger();
                    IngestReport report = kb.ingest(evaluator, documents, o -> ingestBar.update(done.incrementAndGet()));
                    System.out.printf("corpus: %d document(s), %d chunk(s), %d failed, ingested in %.1f s (vector store: %s)%n",
                            report.succeeded(), report.chunks(), report.failed(), ingestBar.elapsedSeconds(), kb.vectorStore());
                    RetrievalEvaluation evaluation = new RetrievalEvaluation(kb);
                    List<RetrievalEvaluation.Scores> all = new ArrayList<>();
                    for (SearchStrategy s : chosen) {
                        ProgressBar bar = new ProgressBar(System.err, s.wireName(), qrels.size());
                        all.add(evaluation.evaluate(evaluator.tenantId(), namespace, s, queries, qrels, bar::update));
                    }
                    System.out.printf("%n%s split '%s', vector store %s, hybrid fusion %s%n", dir, split, kb.vectorStore(),
                            kb.fusion().wireName());
                    System.out.println("| strategy | queries | nDCG@10 | Recall@100 | mean retrieval ms | mean query embedding ms |");
                    System.out.println("|---|---|---|---|---|---|");
                    for (var s : all) {
                        System.out.printf("| %s | %d | %.4f | %.4f | %.1f | %.1f |%n", s.strategy().wireName(), s.queries(),
                                s.ndcgAt10(), s.recallAt100(), s.meanRetrievalMs(), s.meanEmbeddingMs());
                    }
                } finally {
                    if (!keep) {
                        kb.deleteNamespace(evaluator, namespace);
                    } else {
                        System.out.println("kept: tenant 'eval', namespace '" + namespace + "'");
                    }
                }
            }
            return 0;
        }
    }
}
