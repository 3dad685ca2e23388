package io.askexpert.knowledge;

import io.askexpert.instances.ServiceInstances;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Ingestion jobs as rows, so progress can be read from any instance. */
final class JobStore {

    private final JdbcClient jdbc;
    private final JsonMapper json = JsonMapper.builder().build();

    JobStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    UUID create(String tenantId, int total, @Nullable String instanceId) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into knowledge_jobs (id, tenant_id, status, total, instance_id) values (?, ?, 'queued', ?, ?)")
                .params(id, tenantId, total, instanceId).update();
        return id;
    }

    void fail(UUID id, String reason) {
        jdbc.sql("update knowledge_jobs set status = 'failed', failure_reason = ?, updated_at = now() where id = ?")
                .params(reason, id).update();
    }

    /**
     * Fails the jobs of dead instances, and jobs recorded without an instance that have not
     * moved for {@code unownedAfterSeconds}, with a reason that says how far each got; returns how many.
     */
    int failOrphans(ServiceInstances instances, long unownedAfterSeconds) {
        List<Object> params = new ArrayList<>(List.of(instances.deadParams()));
        params.add((double) unownedAfterSeconds);
        return jdbc.sql("update knowledge_jobs set status = 'failed', updated_at = now(), failure_reason = "
                        + "'interrupted: the instance running this job stopped after ' || processed || ' of ' || total "
                        + "|| ' documents; submit the documents not listed as indexed again' "
                        + "where status in ('queued', 'running') and (" + ServiceInstances.deadCondition("instance_id")
                        + " or (instance_id is null and updated_at < now() - make_interval(secs => ?)))")
                .params(params).update();
    }

    void status(UUID id, String status) {
        jdbc.sql("update knowledge_jobs set status = ?, updated_at = now() where id = ?").params(status, id).update();
    }

    void record(UUID id, IngestOutcome outcome) {
        if (outcome.ok()) {
            jdbc.sql("update knowledge_jobs set processed = processed + 1, succeeded = succeeded + 1, updated_at = now() where id = ?")
                    .param(id).update();
        } else {
            String error = json.writeValueAsString(List.of(Map.of("index", outcome.index(), "key", outcome.key(),
                    "error", outcome.error())));
            jdbc.sql("""
                    update knowledge_jobs set processed = processed + 1, failed = failed + 1,
                        errors = errors || cast(? as jsonb), updated_at = now() where id = ?""")
                    .params(error, id).update();
        }
    }

    Optional<IngestJob> find(String tenantId, UUID id) {
        return jdbc.sql("""
                select id, status, total, processed, succeeded, failed, errors::text, created_at, updated_at, failure_reason
                from knowledge_jobs where id = ? and tenant_id = ?""")
                .params(id, tenantId)
                .query((rs, i) -> new IngestJob(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4),
                        rs.getInt(5), rs.getInt(6),
                        json.readValue(rs.getString(7), new TypeReference<List<Map<String, Object>>>() { }),
                        rs.getTimestamp(8).toInstant(), rs.getTimestamp(9).toInstant(), rs.getString(10)))
                .optional();
    }
}
