package io.askexpert.cli;

import io.askexpert.agents.Agent;
import io.askexpert.agents.AgentCatalog;
import io.askexpert.agents.AgentPage;
import io.askexpert.agents.AgentQuery;
import io.askexpert.agents.AgentStatus;
import io.askexpert.agents.ImportProgress;
import io.askexpert.agents.ImportReport;
import io.askexpert.database.Migrations;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code agents import FILE} and {@code agents list}: the catalogue from the terminal, against the
 * configured database (the embedded one when no server holds it). Imports write the public
 * catalogue unless {@code --tenant} names a tenant.
 */
@Command(name = "agents", description = "The expert catalogue: import FILE (JSON or YAML), list.",
        subcommands = {AgentsCommand.Import.class, AgentsCommand.ListAgents.class})
final class AgentsCommand {

    private static <T> T withCatalog(java.util.function.Function<AgentCatalog, T> work) {
        try (ConfigurableApplicationContext context = SpringLauncher.startTool()) {
            // The schema must be current before rows are written; upgrade refuses a newer schema.
            context.getBean(Migrations.class).upgrade(null);
            return work.apply(context.getBean(AgentCatalog.class));
        }
    }

    @Command(name = "import", description = "Upsert the agents of FILE (keyed by slug), with progress and a summary.")
    static final class Import implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "a .json, .yaml or .yml file: an array of agents or {agents: [...]}")
        Path file;

        @Option(names = "--tenant", description = "write private agents of this tenant instead of the public catalogue")
        @Nullable String tenant;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(file)) {
                System.err.println("error: no such file: " + file);
                return 2;
            }
            List<?> records = AgentCatalog.readFile(file);
            PrintStream out = System.out;
            out.printf("Importing %d agent(s) from %s into %s%n", records.size(), file,
                    tenant == null ? "the public catalogue" : "tenant " + tenant);
            ProgressBar written = new ProgressBar(out, "written ", records.size());
            ProgressBar[] embedded = new ProgressBar[1];
            ImportReport report = withCatalog(catalog -> catalog.importWithProgress(tenant, records,
                    new ImportProgress() {
                        @Override
                        public void written(int done) {
                            written.update(done);
                        }

                        @Override
                        public void indexed(int done, int total) {
                            // A rebuild already under way (started by a change seen before the
                            // import's own) may be followed by one more, with its own total.
                            if (embedded[0] == null || embedded[0].total() != Math.max(total, 1)) {
                                embedded[0] = new ProgressBar(out, "embedded", total);
                            }
                            embedded[0].update(done);
                        }
                    }));
            for (ImportReport.RecordResult r : report.results()) {
                for (ImportReport.FieldError e : r.errors()) {
                    out.printf("  rejected #%d %s: %s %s%n", r.index(), r.slug() == null ? "(no slug)" : r.slug(),
                            e.field(), e.message());
                }
                for (String w : r.warnings()) {
                    out.printf("  warning  #%d %s: %s%n", r.index(), r.slug(), w);
                }
            }
            out.printf("%d created, %d updated, %d unchanged, %d rejected; catalogue version %d, routable%n",
                    report.count(ImportReport.Outcome.CREATED), report.count(ImportReport.Outcome.UPDATED),
                    report.count(ImportReport.Outcome.UNCHANGED), report.count(ImportReport.Outcome.FAILED),
                    report.catalogueVersion());
            return report.allSucceeded() ? 0 : 1;
        }
    }

    @Command(name = "list", description = "List the agents a tenant sees (public ones and its own).")
    static final class ListAgents implements Callable<Integer> {
        @Option(names = "--tenant", defaultValue = "default", description = "whose view (default: ${DEFAULT-VALUE})")
        String tenant;

        @Option(names = "--level", description = "1 master, 2 expert, 3 specialist, 4 worker, 5 tool")
        @Nullable Integer level;

        @Option(names = "--domain", description = "exact domain, case-insensitive")
        @Nullable String domain;

        @Option(names = {"-q", "--query"}, description = "full-text filter")
        @Nullable String query;

        @Option(names = "--all", description = "include inactive and deprecated agents")
        boolean all;

        @Option(names = "--limit", defaultValue = "200")
        int limit;

        @Override
        public Integer call() {
            AgentQuery q = new AgentQuery(level, domain, query, all ? null : AgentStatus.ACTIVE,
                    Math.max(1, Math.min(limit, AgentQuery.MAX_LIMIT)), 0);
            AgentPage page = withCatalog(catalog -> catalog.list(tenant, q));
            for (Agent a : page.agents()) {
                System.out.printf("L%d  %-40s %-9s %s%s%n", a.level().number(), a.slug(),
                        a.isPublic() ? "public" : "private", a.specialty(),
                        a.active() ? "" : " [" + a.status().wireName() + "]");
            }
            System.out.printf("%d of %d agent(s)%n", page.agents().size(), page.total());
            return 0;
        }
    }
}
