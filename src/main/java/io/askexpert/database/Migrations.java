package io.askexpert.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.ui.LoggerUIService;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.changelog.ChangeLogHistoryServiceFactory;
import liquibase.change.core.TagDatabaseChange;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.RanChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LiquibaseException;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Schema migrations as named revisions, like the runbook's {@code alembic} commands. A revision is
 * one file under {@code db/changelog/migrations/}, closed by a {@code tagDatabase} changeset whose
 * tag is the revision's name. Every changeset carries a rollback, so {@link #downgrade(int)} undoes
 * whole revisions, newest first. {@link #refuseNewerSchema()} stops a start on a schema written by
 * a newer build, which this build could corrupt.
 */
public final class Migrations {

    static final String CHANGELOG = "db/changelog/db.changelog-master.yaml";

    static {
        // No usage reporting to a third party from a self-hosted service.
        System.setProperty("liquibase.analytics.enabled", "false");
        System.setProperty("liquibase.showBanner", "false");
    }

    /** One revision of the changelog, and whether (and when) the database has it. */
    public record Revision(String name, boolean applied, @Nullable Instant appliedAt) {
    }

    private final DataSource dataSource;

    public Migrations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Applies every pending revision, or those up to and including {@code target}. */
    public void upgrade(@Nullable String target) {
        refuseNewerSchema();
        if (target != null && !heads().contains(target)) {
            throw new MigrationException("unknown revision '" + target + "'; known: " + heads());
        }
        withLiquibase(lb -> {
            if (target == null) {
                lb.update(new Contexts(), new LabelExpression());
            } else {
                lb.update(target, new Contexts(), new LabelExpression());
            }
            return null;
        });
    }

    /** Undoes the newest {@code steps} applied revisions. */
    public void downgrade(int steps) {
        if (steps < 1) {
            throw new MigrationException("downgrade takes a number of revisions >= 1, got " + steps);
        }
        refuseNewerSchema();
        List<String> applied = history().stream().filter(Revision::applied).map(Revision::name).toList();
        if (steps > applied.size()) {
            throw new MigrationException("cannot downgrade " + steps + " revision(s): only "
                    + applied.size() + " applied");
        }
        int keep = applied.size() - steps;
        // Rolling back by count, not to a tag: Liquibase's rollback-to-tag keeps the tagged
        // changeset's own revision only when the tag row is the last of that revision, and
        // counting the changesets ran after it says exactly what to undo.
        withLiquibase(lb -> {
            List<RanChangeSet> ran = ranChangeSets(lb);
            int undo = ran.size();
            if (keep > 0) {
                String keepTag = applied.get(keep - 1);
                for (int i = 0; i < ran.size(); i++) {
                    if (keepTag.equals(ran.get(i).getTag())) {
                        undo = ran.size() - 1 - i;
                    }
                }
            }
            lb.rollback(undo, (String) null);
            return null;
        });
    }

    /** The newest applied revision, empty on a fresh database. */
    public Optional<String> current() {
        List<Revision> applied = history().stream().filter(Revision::applied).toList();
        return applied.isEmpty() ? Optional.empty() : Optional.of(applied.getLast().name());
    }

    /** Every revision this build knows, oldest first. */
    public List<String> heads() {
        return withLiquibase(lb -> {
            List<String> tags = new ArrayList<>();
            for (ChangeSet cs : lb.getDatabaseChangeLog().getChangeSets()) {
                cs.getChanges().stream()
                        .filter(TagDatabaseChange.class::isInstance)
                        .map(c -> ((TagDatabaseChange) c).getTag())
                        .forEach(tags::add);
            }
            return tags;
        });
    }

    /** The known revisions with their state, oldest first. */
    public List<Revision> history() {
        List<String> known = heads();
        return withLiquibase(lb -> {
            List<RanChangeSet> ran = ranChangeSets(lb);
            List<Revision> result = new ArrayList<>();
            for (String name : known) {
                RanChangeSet tagged = ran.stream().filter(r -> name.equals(r.getTag())).findFirst().orElse(null);
                result.add(new Revision(name, tagged != null,
                        tagged == null || tagged.getDateExecuted() == null ? null : tagged.getDateExecuted().toInstant()));
            }
            return result;
        });
    }

    /**
     * Fails when the database holds changesets this build does not know: a newer build migrated
     * it, and running older code on it would read or write a schema it does not understand.
     */
    public void refuseNewerSchema() {
        withLiquibase(lb -> {
            refuseNewerSchema(lb, lb.getDatabaseChangeLog().getChangeSets(), ranChangeSets(lb));
            return null;
        });
    }

    /**
     * What a starting service does: {@link #refuseNewerSchema()}, then {@link #upgrade} when
     * {@code autoMigrate} and a changeset is pending, and the newest applied revision. One parse of
     * the changelog and one read of the history instead of one per step; an up-to-date schema
     * (every changeset ran, with the checksum it has now) takes no lock and runs no update.
     */
    public Optional<String> onStart(boolean autoMigrate) {
        return withLiquibase(lb -> {
            List<ChangeSet> changeSets = lb.getDatabaseChangeLog().getChangeSets();
            List<RanChangeSet> ran = ranChangeSets(lb);
            refuseNewerSchema(lb, changeSets, ran);
            if (autoMigrate && pending(changeSets, ran)) {
                lb.update(new Contexts(), new LabelExpression());
                Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class).resetAll();
                ran = ranChangeSets(lb);
            }
            String current = null;
            for (String tag : heads(lb)) {
                String name = tag;
                if (ran.stream().anyMatch(r -> name.equals(r.getTag()))) {
                    current = name;
                }
            }
            return Optional.ofNullable(current);
        });
    }

    /** Whether a changeset has not run, or ran with another checksum (update then decides). */
    private static boolean pending(List<ChangeSet> changeSets, List<RanChangeSet> ran) {
        Map<String, RanChangeSet> byKey = new HashMap<>();
        for (RanChangeSet r : ran) {
            byKey.put(r.getId() + "::" + r.getAuthor(), r);
        }
        for (ChangeSet cs : changeSets) {
            RanChangeSet r = byKey.get(cs.getId() + "::" + cs.getAuthor());
            if (r == null || cs.isAlwaysRun() || cs.isRunOnChange() || r.getLastCheckSum() == null
                    || !cs.isCheckSumValid(r.getLastCheckSum())) {
                return true;
            }
        }
        return false;
    }

    private static void refuseNewerSchema(Liquibase lb, List<ChangeSet> changeSets, List<RanChangeSet> ran)
            throws LiquibaseException {
        Set<String> known = new HashSet<>();
        for (ChangeSet cs : changeSets) {
            known.add(cs.getId() + "::" + cs.getAuthor());
        }
        List<RanChangeSet> unknown = ran.stream()
                .filter(r -> !known.contains(r.getId() + "::" + r.getAuthor()))
                .toList();
        if (!unknown.isEmpty()) {
            String newest = ran.stream().map(RanChangeSet::getTag)
                    .filter(t -> t != null).reduce((a, b) -> b).orElse(unknown.getLast().getId());
            throw new MigrationException("The database schema is at revision '" + newest
                    + "', newer than this build knows (latest: '" + lastOr(heads(lb), "none")
                    + "'). Run a newer Ask Expert, or downgrade the schema with the build that wrote it.");
        }
    }

    private static List<String> heads(Liquibase lb) throws LiquibaseException {
        List<String> tags = new ArrayList<>();
        for (ChangeSet cs : lb.getDatabaseChangeLog().getChangeSets()) {
            for (var c : cs.getChanges()) {
                if (c instanceof TagDatabaseChange tag) {
                    tags.add(tag.getTag());
                }
            }
        }
        return tags;
    }

    private static String lastOr(List<String> list, String fallback) {
        return list.isEmpty() ? fallback : list.getLast();
    }

    private static List<RanChangeSet> ranChangeSets(Liquibase lb) throws LiquibaseException {
        return lb.getDatabase().getRanChangeSetList();
    }

    private interface LiquibaseWork<T> {
        T run(Liquibase liquibase) throws LiquibaseException;
    }

    private <T> T withLiquibase(LiquibaseWork<T> work) {
        // Liquibase caches each database's ran-changeset list process-wide; a fresh read after
        // every change keeps history(), current() and downgrade() truthful.
        Scope.getCurrentScope().getSingleton(ChangeLogHistoryServiceFactory.class).resetAll();
        try (Connection connection = dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database);
            liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
            // Liquibase writes its progress straight to stdout; through the logger it obeys the
            // log levels, and a command's own output (ask, db) stays clean.
            Scope.ScopedRunnerWithReturn<T> run = () -> work.run(liquibase);
            return Scope.child(Map.of(Scope.Attr.ui.name(), new LoggerUIService()), run);
        } catch (LiquibaseException e) {
            throw new MigrationException("migration failed: " + rootMessage(e), e);
        } catch (SQLException e) {
            throw new MigrationException("cannot reach the database: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new MigrationException("migration failed: " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
