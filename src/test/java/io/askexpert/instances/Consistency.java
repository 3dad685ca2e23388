package io.askexpert.instances;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.testsupport.OwnPostgres;

/** What a crash or an outage must never leave behind, checked in the service's database. */
final class Consistency {

    private Consistency() {
    }

    /** No interactive run or job left running, no session counter off its messages, no answer without its cost, no document missing chunks. */
    static void assertNothingHalfWritten(OwnPostgres pg) {
        assertThat(pg.query("select id from runs where status = 'running' and mode in (1, 2)")).isEmpty();
        assertThat(pg.query("select s.id from sessions s where s.message_count <> (select count(*) from messages m "
                + "where m.tenant_id = s.tenant_id and m.user_id = s.user_id and m.session_id = s.id)")).isEmpty();
        assertThat(pg.query("select m.id from messages m where m.role = 'assistant' and not exists "
                + "(select 1 from costs c where c.message_id = m.id)")).isEmpty();
        assertThat(pg.query("select d.id from knowledge_documents d where d.chunk_count <> "
                + "(select count(*) from knowledge_chunks c where c.document_id = d.id)")).isEmpty();
        assertThat(pg.query("select id from knowledge_jobs where status in ('queued', 'running')")).isEmpty();
    }
}
