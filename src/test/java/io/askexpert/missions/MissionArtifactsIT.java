package io.askexpert.missions;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.database.Migrations;
import io.askexpert.testsupport.TestPostgres;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Artifacts on the real PostgreSQL: a save repeated under the same key (a worker that died between
 * saving and recording the call, and its successor saving again) leaves one row and answers the
 * same artifact; other keys, and the same key in another mission, are artifacts of their own.
 */
class MissionArtifactsIT {

    private static TestPostgres db;
    private static HikariDataSource pool;
    private static MissionArtifacts artifacts;
    private static JdbcClient jdbc;

    @BeforeAll
    static void setUp() {
        db = TestPostgres.create();
        pool = new HikariDataSource();
        pool.setJdbcUrl(db.jdbcUrl());
        pool.setMaximumPoolSize(2);
        new Migrations(pool).upgrade(null);
        artifacts = new MissionArtifacts(pool);
        jdbc = JdbcClient.create(pool);
    }

    @AfterAll
    static void tearDown() {
        pool.close();
        db.close();
    }

    private static UUID mission() {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into missions (id, tenant_id, user_id, mode, status, goal, agent_id, options) "
                        + "values (?, 't-art', 'u-art', 3, 'running', 'a goal', 'an-expert', '{}'::jsonb)")
                .params(id).update();
        return id;
    }

    private static int rows(UUID missionId) {
        return jdbc.sql("select count(*) from mission_artifacts where mission_id = ?").params(missionId)
                .query(Integer.class).single();
    }

    @Test
    void saving_twice_under_one_key_is_one_artifact() {
        UUID m = mission();
        String key = m + ":step-1/tool/toolu_01";

        MissionArtifact first = artifacts.save(m, key, "table", "Timelines", "markdown", "| EU | 7 days |");
        MissionArtifact again = artifacts.save(m, key, "table", "Timelines", "markdown", "| EU | 7 days |");

        assertThat(again).isEqualTo(first);
        assertThat(rows(m)).isEqualTo(1);
        assertThat(artifacts.list(m)).containsExactly(first);
        assertThat(artifacts.find(m, first.id())).hasValueSatisfying(s -> assertThat(s.content()).isEqualTo("| EU | 7 days |"));
    }

    @Test
    void the_first_save_under_a_key_stands() {
        UUID m = mission();

        MissionArtifact first = artifacts.save(m, "report", "report", "Report", "markdown", "# First");
        MissionArtifact second = artifacts.save(m, "report", "report", "Report", "markdown", "# Second");

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.preview()).isEqualTo("# First");
        assertThat(rows(m)).isEqualTo(1);
    }

    @Test
    void other_keys_and_other_missions_are_artifacts_of_their_own() {
        UUID m = mission();
        UUID other = mission();

        MissionArtifact a = artifacts.save(m, "step-1/tool/a", "document", "A", "markdown", "same");
        MissionArtifact b = artifacts.save(m, "step-1/tool/b", "document", "A", "markdown", "same");
        MissionArtifact c = artifacts.save(other, "step-1/tool/a", "document", "A", "markdown", "same");

        assertThat(java.util.Set.of(a.id(), b.id(), c.id())).hasSize(3);
        assertThat(rows(m)).isEqualTo(2);
        assertThat(rows(other)).isEqualTo(1);
    }
}
