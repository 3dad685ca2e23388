package io.askexpert.missions;

import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code mission_journal} table: the recorded result of each completed call of a mission, by
 * its deterministic key. A result is written once ({@code on conflict do nothing}): if two workers
 * ever raced to record one key (a takeover while the old worker's call was still finishing), the
 * first record wins and both continue from it.
 */
final class MissionJournal {

    private final JdbcClient jdbc;

    MissionJournal(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** The recorded result (JSON) under {@code key}, if that call completed before. */
    Optional<String> find(UUID missionId, String key) {
        return jdbc.sql("select result::text from mission_journal where mission_id = ? and key = ?")
                .params(missionId, key).query(String.class).optional();
    }

    /** Records a result unless one is recorded; returns the one that stands. */
    String record(UUID missionId, String key, String kind, String resultJson) {
        int inserted = jdbc.sql("insert into mission_journal (mission_id, key, kind, result) "
                        + "values (?, ?, ?, cast(? as jsonb)) on conflict (mission_id, key) do nothing")
                .params(missionId, key, kind, resultJson).update();
        return inserted == 1 ? resultJson : find(missionId, key).orElse(resultJson);
    }

    /** Records a marker under {@code key}; true only for the one caller that recorded it first. */
    boolean mark(UUID missionId, String key, String kind) {
        return jdbc.sql("insert into mission_journal (mission_id, key, kind, result) values (?, ?, ?, 'true'::jsonb) "
                        + "on conflict (mission_id, key) do nothing")
                .params(missionId, key, kind).update() == 1;
    }

    /** How many calls of the mission completed (steps executed, for the final metrics). */
    int count(UUID missionId, String keyPrefix) {
        return jdbc.sql("select count(*) from mission_journal where mission_id = ? and key like ?")
                .params(missionId, keyPrefix.replace("%", "\\%").replace("_", "\\_") + "%")
                .query(Integer.class).single();
    }
}
