package io.askexpert.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.testsupport.TestPostgres;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class MigrationsIT {

    private TestPostgres db;
    private HikariDataSource dataSource;
    private Migrations migrations;

    @BeforeEach
    void setUp() {
        db = TestPostgres.create();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(db.jdbcUrl());
        dataSource.setMaximumPoolSize(2);
        migrations = new Migrations(dataSource);
    }

    @AfterEach
    void tearDown() {
        dataSource.close();
        db.close();
    }

    private List<String> tables() {
        return JdbcClient.create(dataSource)
                .sql("select table_name from information_schema.tables where table_schema = 'public' "
                        + "and table_name not like 'databasechangelog%' order by 1")
                .query(String.class).list();
    }

    @Test
    void upgrade_applies_every_revision_in_order() {
        assertThat(migrations.current()).isEmpty();
        migrations.upgrade(null);
        List<String> heads = migrations.heads();
        assertThat(heads).isNotEmpty().first().isEqualTo("001-platform");
        assertThat(migrations.current()).contains(heads.getLast());
        assertThat(migrations.history()).allMatch(Migrations.Revision::applied);
    }

    @Test
    void downgrade_one_then_upgrade_round_trips() {
        migrations.upgrade(null);
        List<String> before = tables();
        List<String> heads = migrations.heads();

        migrations.downgrade(1);
        assertThat(migrations.current()).isEqualTo(
                heads.size() > 1 ? java.util.Optional.of(heads.get(heads.size() - 2)) : java.util.Optional.empty());

        migrations.upgrade(null);
        assertThat(migrations.current()).contains(heads.getLast());
        assertThat(tables()).isEqualTo(before);
    }

    @Test
    void downgrade_of_every_revision_leaves_no_table() {
        migrations.upgrade(null);
        migrations.downgrade(migrations.heads().size());
        assertThat(migrations.current()).isEmpty();
        assertThat(tables()).isEmpty();
    }

    @Test
    void downgrade_beyond_what_is_applied_is_refused_with_a_clear_message() {
        migrations.upgrade(null);
        assertThatThrownBy(() -> migrations.downgrade(migrations.heads().size() + 1))
                .isInstanceOf(MigrationException.class).hasMessageContaining("only");
        assertThatThrownBy(() -> migrations.downgrade(0)).isInstanceOf(MigrationException.class);
    }

    @Test
    void refuses_a_schema_written_by_a_newer_build() {
        migrations.upgrade(null);
        JdbcClient.create(dataSource).sql("""
                insert into databasechangelog (id, author, filename, dateexecuted, orderexecuted, exectype, md5sum, tag)
                values ('999-from-the-future', 'ask-expert', 'db/changelog/migrations/999-future.yaml', now(), 999,
                        'EXECUTED', '9:0', '999-future')""").update();

        assertThatThrownBy(() -> migrations.refuseNewerSchema())
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("999-future")
                .hasMessageContaining("newer than this build knows");
        assertThatThrownBy(() -> migrations.upgrade(null)).isInstanceOf(MigrationException.class);
    }

    @Test
    void on_start_migrates_a_fresh_database_and_leaves_an_up_to_date_one_untouched() {
        assertThat(migrations.onStart(true)).contains(migrations.heads().getLast());
        JdbcClient jdbc = JdbcClient.create(dataSource);
        long rows = jdbc.sql("select count(*) from databasechangelog").query(Long.class).single();
        // An up-to-date schema: no update runs, so nothing is written, not even the lock table's row.
        jdbc.sql("delete from databasechangeloglock").update();

        assertThat(migrations.onStart(true)).contains(migrations.heads().getLast());
        assertThat(jdbc.sql("select count(*) from databasechangelog").query(Long.class).single()).isEqualTo(rows);
        assertThat(jdbc.sql("select count(*) from databasechangeloglock").query(Long.class).single()).isZero();
    }

    @Test
    void on_start_applies_what_is_pending_only_when_allowed_and_refuses_a_newer_schema() {
        List<String> heads = migrations.heads();
        migrations.upgrade(heads.get(heads.size() - 2));

        assertThat(migrations.onStart(false)).contains(heads.get(heads.size() - 2));
        assertThat(migrations.onStart(true)).contains(heads.getLast());

        JdbcClient.create(dataSource).sql("""
                insert into databasechangelog (id, author, filename, dateexecuted, orderexecuted, exectype, md5sum, tag)
                values ('999-from-the-future', 'ask-expert', 'db/changelog/migrations/999-future.yaml', now(), 999,
                        'EXECUTED', '9:0', '999-future')""").update();
        assertThatThrownBy(() -> migrations.onStart(false))
                .isInstanceOf(MigrationException.class).hasMessageContaining("newer than this build knows");
    }

    @Test
    void profile_words_revision_reads_codes_as_words_and_its_downgrade_restores_the_old_document() {
        List<String> heads = migrations.heads();
        int revision = heads.indexOf("017-profile-words");
        assertThat(revision).isPositive();
        migrations.upgrade(heads.get(revision - 1));
        JdbcClient jdbc = JdbcClient.create(dataSource);
        jdbc.sql("""
                insert into agents (id, slug, name, display_name, level, specialty, capabilities, description)
                values (gen_random_uuid(), 'vascular', 'Vascular surgeon', 'Vascular surgeon', 2, 'QA/QC lead',
                        '{CVS.AORTIC-ANEURYSM-REPAIR,complaint_trending}', 'Reviews site.monitoring reports')""").update();
        assertThat(document(jdbc)).contains("'cvs.aortic'").doesNotContain("'aortic'");

        migrations.upgrade(null);
        String words = document(jdbc);
        assertThat(words).contains("'cvs':", "'aortic':", "'aneurysm':", "'repair':", "'qa':", "'qc':", "'site':",
                "'monitor':", "'complaint':", "'trend':").doesNotContain("cvs.aortic", "qa/qc", "site.monitoring");
        assertThat(jdbc.sql("select count(*) from agents where search_vector @@ to_tsquery('english', 'aortic')")
                .query(Long.class).single()).isEqualTo(1);

        migrations.downgrade(heads.size() - revision);
        assertThat(migrations.current()).contains(heads.get(revision - 1));
        assertThat(document(jdbc)).contains("'cvs.aortic'").doesNotContain("'aortic'");
        assertThat(jdbc.sql("select count(*) from pg_proc where proname = 'agent_words'").query(Long.class).single())
                .isZero();
        assertThat(jdbc.sql("select count(*) from pg_indexes where indexname = 'agents_search_vector_idx'")
                .query(Long.class).single()).isEqualTo(1);
    }

    private static String document(JdbcClient jdbc) {
        return jdbc.sql("select search_vector::text from agents").query(String.class).single();
    }

    @Test
    void upgrade_to_an_unknown_revision_is_refused() {
        assertThatThrownBy(() -> migrations.upgrade("no-such-revision"))
                .isInstanceOf(MigrationException.class).hasMessageContaining("unknown revision");
    }
}
