package io.askexpert.cli;

import io.askexpert.agents.AgentCatalog;
import io.askexpert.agents.ImportProgress;
import io.askexpert.agents.ImportReport;
import io.askexpert.config.AskExpertSettings;
import io.askexpert.database.Migrations;
import io.askexpert.evaluation.RoutingEvaluation;
import io.askexpert.evaluation.RoutingRecord;
import io.askexpert.evaluation.RoutingSet;
import io.askexpert.fusion.FusionCatalogue;
import io.askexpert.fusion.FusionEngine;
import io.askexpert.knowledge.TextEmbedder;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code eval routing [SET…]}: routing quality of fusion, of each of its sources and of the TF-IDF
 * baseline on labelled sets. Each set folder is imported into a scratch embedded database of its
 * own (the configured database is never touched); {@code --configured FILE} instead asks the
 * questions of one JSONL file against the configured catalogue.
 */
@Command(name = "routing", description = "Top-1, top-3 and department@1 of fusion, its sources and a TF-IDF "
        + "baseline on labelled routing sets (default: every set under eval/routing/), each in a scratch database.")
final class EvalRouting implements Callable<Integer> {

    @Parameters(paramLabel = "SET", arity = "0..*", description = "set folders: agents.yaml|json (none = the starter "
            + "catalogue), questions.jsonl, departments.tsv")
    List<Path> sets = new ArrayList<>();

    @Option(names = "--configured", paramLabel = "FILE", description = "ask FILE's questions against the configured "
            + "catalogue instead (departments from a departments.tsv beside it)")
    Path configured;

    @Option(names = "--tenant", defaultValue = "eval", description = "tenant the questions are asked as")
    String tenant;

    @Option(names = "--show-misses", description = "list the questions fusion did not rank an expected expert first")
    boolean showMisses;

    @Option(names = "--record", paramLabel = "DIR", description = "also write each set's embeddings and source "
            + "rankings under DIR/SET/ (experts.jsonl, questions.jsonl), to try ranking changes on them offline")
    Path record;

    @Override
    public Integer call() throws Exception {
        List<RoutingEvaluation.Report> reports = new ArrayList<>();
        if (configured != null) {
            reports.add(configured());
        } else {
            for (Path folder : sets.isEmpty() ? defaultSets() : sets) {
                reports.add(scratch(RoutingSet.read(folder)));
            }
        }
        System.out.println();
        System.out.print(RoutingEvaluation.table(reports));
        System.out.println();
        reports.forEach(r -> System.out.print(RoutingEvaluation.details(r, showMisses)));
        return 0;
    }

    private static List<Path> defaultSets() throws IOException {
        Path root = Path.of("eval", "routing");
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("no set given and no eval/routing/ folder here");
        }
        try (Stream<Path> folders = Files.list(root)) {
            return folders.filter(f -> Files.isRegularFile(f.resolve("questions.jsonl")))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        }
    }

    private RoutingEvaluation.Report scratch(RoutingSet set) throws Exception {
        Path dataDir = Files.createTempDirectory("ask-expert-routing-");
        try (ConfigurableApplicationContext context = SpringLauncher.startScratch(dataDir)) {
            AgentCatalog catalog = context.getBean(AgentCatalog.class);
            ProgressBar written = new ProgressBar(System.err, set.name() + ": import", set.catalogue().size());
            ImportReport report = catalog.importWithProgress(null, set.catalogue(), new ImportProgress() {
                private ProgressBar embedded;

                @Override
                public void written(int done) {
                    written.update(done);
                }

                @Override
                public void indexed(int done, int total) {
                    if (embedded == null) {
                        embedded = new ProgressBar(System.err, set.name() + ": embed", total);
                    }
                    embedded.update(done);
                }
            });
            report.results().stream().filter(r -> r.outcome() == ImportReport.Outcome.FAILED)
                    .forEach(r -> System.err.printf("  rejected #%d %s: %s%n", r.index(), r.slug(), r.errors()));
            return evaluate(context, set.name(), set.questions(), set.departments());
        } finally {
            deleteTree(dataDir);
        }
    }

    private RoutingEvaluation.Report configured() throws Exception {
        Path departments = configured.resolveSibling("departments.tsv");
        Map<String, String> bySlug = Files.isRegularFile(departments) ? RoutingSet.departments(departments) : Map.of();
        try (ConfigurableApplicationContext context = SpringLauncher.startTool()) {
            context.getBean(Migrations.class).upgrade(null);
            return evaluate(context, configured.getFileName().toString(), RoutingEvaluation.read(configured), bySlug);
        }
    }

    private RoutingEvaluation.Report evaluate(ConfigurableApplicationContext context, String name,
                                              List<RoutingEvaluation.Case> cases, Map<String, String> departments)
            throws Exception {
        int experts = context.getBean(FusionCatalogue.class).awaitCurrent(Duration.ofMinutes(30), done -> { });
        if (experts == 0) {
            throw new IllegalStateException("the catalogue is empty; import experts first");
        }
        FusionEngine engine = context.getBean(FusionEngine.class);
        System.err.println(name + ": fusion method " + context.getBean(AskExpertSettings.class).fusion().method().wireName()
                + " (FUSION_METHOD)");
        var agents = context.getBean(AgentCatalog.class).activeAgents(tenant);
        ProgressBar bar = new ProgressBar(System.err, name + ": route", cases.size());
        int[] done = {0};
        RoutingEvaluation.Report report = new RoutingEvaluation(request -> {
            var result = engine.selectFresh(request);
            bar.update(++done[0]);
            return result;
        }).run(name, cases, agents, departments, tenant);
        if (record != null) {
            DataSource dataSource = context.getBean(DataSource.class);
            new RoutingRecord(record, context.getBean(TextEmbedder.class)::embedAll, q -> lexemes(dataSource, q))
                    .write(name, cases, agents, context.getBean(AgentCatalog.class).activeSearchVectors(), departments,
                            tenant, engine::selectFresh);
        }
        return report;
    }

    /** The any-word query the relational source asks PostgreSQL for: the question's letters and digits, OR'ed. */
    private static String lexemes(DataSource dataSource, String question) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select to_tsquery('english', ?)::text")) {
            ps.setString(1, String.join(" | ", FusionEngine.relationalWords(question)));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
