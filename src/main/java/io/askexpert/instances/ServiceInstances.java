package io.askexpert.instances;

import io.askexpert.config.ProcessRole;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * This process's identity ({@code inst_…}, new at every start) and the table every instance
 * heartbeats in. An instance is dead once its heartbeat is older than {@code staleAfter}; on the
 * embedded default the database belongs to one process at a time (a file lock guards it), so
 * every other instance recorded there is dead from the moment this one starts.
 */
public final class ServiceInstances {

    /** Rows of instances silent this long are deleted at start-up; their runs were closed long before. */
    private static final Duration FORGET_AFTER = Duration.ofDays(1);

    private final JdbcClient jdbc;
    private final String id = "inst_" + UUID.randomUUID().toString().replace("-", "");
    private final ProcessRole role;
    private final Duration staleAfter;
    private final boolean exclusive;

    public ServiceInstances(DataSource dataSource, ProcessRole role, Duration staleAfter, boolean exclusive) {
        this.jdbc = JdbcClient.create(dataSource);
        this.role = role;
        this.staleAfter = staleAfter;
        this.exclusive = exclusive;
    }

    /** This process's id, recorded on every run and job it owns. */
    public String id() {
        return id;
    }

    public ProcessRole role() {
        return role;
    }

    /** How long a silent instance is still presumed alive. */
    public Duration staleAfter() {
        return staleAfter;
    }

    /** True when no other process can share the database (the embedded default). */
    public boolean exclusive() {
        return exclusive;
    }

    void register() {
        jdbc.sql("delete from service_instances where heartbeat_at < now() - make_interval(secs => ?)")
                .param((double) FORGET_AFTER.toSeconds()).update();
        jdbc.sql("insert into service_instances (id, role) values (?, ?)").params(id, role.value()).update();
    }

    void beat() {
        int updated = jdbc.sql("update service_instances set heartbeat_at = now() where id = ?").param(id).update();
        if (updated == 0) {
            // Deleted as stale while the database was unreachable: this instance is alive, say so again.
            jdbc.sql("insert into service_instances (id, role) values (?, ?) on conflict (id) do update set heartbeat_at = now()")
                    .params(id, role.value()).update();
        }
    }

    void leave() {
        jdbc.sql("delete from service_instances where id = ?").param(id).update();
    }

    /**
     * SQL condition, true when the instance named in {@code column} is dead: not this one and,
     * unless this process owns the database alone, silent for longer than {@link #staleAfter}
     * (or never seen). False for a null column: rows written before instances were recorded are
     * the caller's to judge, by their age. Takes the three parameters of {@link #deadParams()}.
     */
    public static String deadCondition(String column) {
        return "(" + column + " <> ? and (? or not exists (select 1 from service_instances i "
                + "where i.id = " + column + " and i.heartbeat_at > now() - make_interval(secs => ?))))";
    }

    /** The parameters of {@link #deadCondition}, in order. */
    public Object[] deadParams() {
        return new Object[] {id, exclusive, staleAfter.toMillis() / 1000.0};
    }
}
