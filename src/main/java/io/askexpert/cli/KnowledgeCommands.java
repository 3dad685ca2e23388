package io.askexpert.cli;

import io.askexpert.auth.TenantContext;
import io.askexpert.database.Migrations;
import io.askexpert.evaluation.BeirCorpus;
import io.askexpert.knowledge.DocumentInput;
import io.askexpert.knowledge.DocumentParser;
import io.askexpert.knowledge.IngestOutcome;
import io.askexpert.knowledge.IngestReport;
import io.askexpert.knowledge.KnowledgeBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ingest PATH…}: files, folders and BEIR {@code corpus.jsonl} files into the knowledge base. */
@Command(name = "ingest", description = "Ingest files (txt, md, html, pdf), folders and BEIR corpus.jsonl files.")
final class KnowledgeCommands implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH") List<Path> paths;
    @Option(names = "--namespace", defaultValue = "default", description = "namespace (default: ${DEFAULT-VALUE})")
    String namespace;
    @Option(names = "--domain", description = "domain of every document") String domain;
    @Option(names = "--tenant", defaultValue = "default", description = "owner tenant (default: ${DEFAULT-VALUE})")
    String tenant;
    @Option(names = "--public", description = "visible to every tenant") boolean isPublic;

    /** Opens the knowledge base in-process over an up-to-date schema. */
    static ConfigurableApplicationContext open() {
        ConfigurableApplicationContext context = SpringLauncher.startTool();
        context.getBean(Migrations.class).upgrade(null);
        return context;
    }

    @Override
    public Integer call() throws IOException {
        DocumentParser.Defaults defaults = new DocumentParser.Defaults(namespace, domain, isPublic, "cli");
        List<DocumentInput> documents = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                unreadable.add(p + ": no such file or folder");
                continue;
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(p)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(".jsonl")) {
                    documents.addAll(BeirCorpus.documents(f, new DocumentParser.Defaults(namespace, domain, isPublic, name)));
                } else if (DocumentParser.supports(name)) {
                    try {
                        documents.add(DocumentParser.parse(p.equals(f) ? name : p.relativize(f).toString(),
                                Files.readAllBytes(f), defaults));
                    } catch (DocumentParser.Unreadable e) {
                        unreadable.add(e.getMessage());
                    }
                } else if (p.equals(f)) {
                    unreadable.add(name + ": unsupported type (txt, md, html, pdf, jsonl)");
                }
            }
        }
        IngestReport report = new IngestReport(List.of());
        ProgressBar bar = new ProgressBar(System.err, "ingest", documents.size());
        if (!documents.isEmpty()) {
            try (ConfigurableApplicationContext context = open()) {
                KnowledgeBase kb = context.getBean(KnowledgeBase.class);
                AtomicInteger done = new AtomicInteger();
                report = kb.ingest(TenantContext.operator(tenant, "cli"), documents, o -> bar.update(done.incrementAndGet()));
            }
        }
        System.out.printf("%d document(s) indexed, %d chunk(s), %d failed, %d file(s) unreadable, in %.1f s%n",
                report.succeeded(), report.chunks(), report.failed(), unreadable.size(), bar.elapsedSeconds());
        for (String u : unreadable) {
            System.out.println("  unreadable: " + u);
        }
        for (IngestOutcome o : report.outcomes()) {
            if (!o.ok()) {
                System.out.println("  failed: " + o.key() + ": " + o.error());
            }
        }
        return report.failed() + unreadable.size() == 0 ? 0 : 1;
    }
}
