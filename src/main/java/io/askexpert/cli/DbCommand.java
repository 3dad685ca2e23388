package io.askexpert.cli;

import io.askexpert.database.Migrations;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code db upgrade|downgrade [N]|current|heads|history}: the runbook's migration commands. */
@Command(name = "db", description = "Schema migrations: upgrade, downgrade [N], current, heads, history.",
        subcommands = {DbCommand.Upgrade.class, DbCommand.Downgrade.class, DbCommand.Current.class,
                DbCommand.Heads.class, DbCommand.History.class})
final class DbCommand {

    private static <T> T withMigrations(java.util.function.Function<Migrations, T> work) {
        try (ConfigurableApplicationContext context = SpringLauncher.startTool()) {
            return work.apply(context.getBean(Migrations.class));
        }
    }

    @Command(name = "upgrade", description = "Apply pending revisions (all, or up to TARGET).")
    static final class Upgrade implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "TARGET", description = "revision name, or 'head' (default)")
        String target;

        @Override
        public Integer call() {
            return withMigrations(m -> {
                String before = m.current().orElse("(none)");
                m.upgrade(target == null || target.equals("head") ? null : target);
                System.out.println("upgraded: " + before + " -> " + m.current().orElse("(none)"));
                return 0;
            });
        }
    }

    @Command(name = "downgrade", description = "Roll back the newest N revisions (default 1).")
    static final class Downgrade implements Callable<Integer> {
        @Parameters(arity = "0..1", paramLabel = "N", defaultValue = "1",
                description = "how many revisions to undo; '-1' is read as 1, as alembic writes it")
        String steps;

        @Override
        public Integer call() {
            int n;
            try {
                n = Math.abs(Integer.parseInt(steps));
            } catch (NumberFormatException e) {
                System.err.println("error: N must be a whole number, got '" + steps + "'");
                return 2;
            }
            return withMigrations(m -> {
                String before = m.current().orElse("(none)");
                m.downgrade(n);
                System.out.println("downgraded: " + before + " -> " + m.current().orElse("(none)"));
                return 0;
            });
        }
    }

    @Command(name = "current", description = "Print the newest applied revision.")
    static final class Current implements Callable<Integer> {
        @Override
        public Integer call() {
            return withMigrations(m -> {
                System.out.println(m.current().orElse("(none)"));
                return 0;
            });
        }
    }

    @Command(name = "heads", description = "Print the newest revision this build knows.")
    static final class Heads implements Callable<Integer> {
        @Override
        public Integer call() {
            return withMigrations(m -> {
                var heads = m.heads();
                System.out.println(heads.isEmpty() ? "(none)" : heads.getLast() + " (head)");
                return 0;
            });
        }
    }

    @Command(name = "history", description = "List every revision, oldest first, with its state.")
    static final class History implements Callable<Integer> {
        @Override
        public Integer call() {
            return withMigrations(m -> {
                for (Migrations.Revision r : m.history()) {
                    System.out.printf("%-28s %s%n", r.name(),
                            r.applied() ? "applied " + r.appliedAt() : "pending");
                }
                return 0;
            });
        }
    }
}
