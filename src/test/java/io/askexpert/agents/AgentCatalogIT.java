package io.askexpert.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.agents.ImportReport.Outcome;
import io.askexpert.agents.ImportReport.RecordResult;
import io.askexpert.database.Migrations;
import io.askexpert.testsupport.TestPostgres;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentCatalogIT {

    private TestPostgres db;
    private HikariDataSource dataSource;
    private final List<Object> events = new ArrayList<>();
    private AgentCatalog catalog;

    @BeforeAll
    void startDatabase() {
        db = TestPostgres.create();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(db.jdbcUrl());
        dataSource.setMaximumPoolSize(3);
        new Migrations(dataSource).upgrade(null);
        catalog = new AgentCatalog(dataSource, events::add);
    }

    @AfterAll
    void dropDatabase() {
        dataSource.close();
        db.close();
    }

    @BeforeEach
    void emptyCatalogue() {
        JdbcClient.create(dataSource).sql("delete from agents").update();
        events.clear();
    }

    private static Map<String, Object> record(String slug, int level, Object... more) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("slug", slug);
        r.put("name", "Name of " + slug);
        r.put("level", level);
        r.put("specialty", "Specialty of " + slug);
        for (int i = 0; i < more.length; i += 2) {
            r.put((String) more[i], more[i + 1]);
        }
        return r;
    }

    private ImportReport importPublic(Object... records) {
        return catalog.importRecords(null, List.of(records), n -> { });
    }

    @Test
    void upsert_creates_then_leaves_unchanged_then_updates_with_a_new_version_and_one_event_per_change() {
        long v0 = catalog.version();
        ImportReport first = importPublic(record("fda-regulatory-expert", 2, "domains", List.of("regulatory affairs")));
        assertThat(first.results()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(Outcome.CREATED);
            assertThat(r.version()).isEqualTo(1);
        });
        assertThat(catalog.version()).isGreaterThan(v0);
        assertThat(events).singleElement().isInstanceOfSatisfying(CatalogueChanged.class, e -> {
            assertThat(e.agentIds()).containsExactly(first.results().getFirst().id());
            assertThat(e.tenantId()).isNull();
            assertThat(e.version()).isEqualTo(catalog.version());
        });

        long v1 = catalog.version();
        ImportReport again = importPublic(record("fda-regulatory-expert", 2, "domains", List.of("regulatory affairs")));
        assertThat(again.results().getFirst().outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(catalog.version()).isEqualTo(v1);
        assertThat(events).hasSize(1);

        ImportReport changed = importPublic(record("fda-regulatory-expert", 2, "domains", List.of("regulatory affairs", "fda")));
        assertThat(changed.results().getFirst().outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(changed.results().getFirst().version()).isEqualTo(2);
        assertThat(catalog.version()).isGreaterThan(v1);
        assertThat(events).hasSize(2);
        Agent stored = catalog.find("any-tenant", "fda-regulatory-expert").orElseThrow();
        assertThat(stored.domains()).containsExactly("regulatory affairs", "fda");
        assertThat(stored.version()).isEqualTo(2);
        assertThat(catalog.find("any-tenant", stored.id())).contains(stored);
    }

    @Test
    void one_bad_record_in_a_batch_of_300_leaves_the_other_299_imported_and_names_its_field() {
        List<Object> batch = new ArrayList<>();
        batch.add(record("batch-master", 1));
        for (int i = 1; i < 300; i++) {
            batch.add(record("batch-expert-" + i, 2, "reports_to", "batch-master"));
        }
        batch.set(137, record("batch-expert-137", 9, "reports_to", "batch-master"));

        ImportReport report = catalog.importRecords(null, batch, n -> { });

        assertThat(report.count(Outcome.CREATED)).isEqualTo(299);
        assertThat(report.count(Outcome.FAILED)).isEqualTo(1);
        RecordResult bad = report.results().get(137);
        assertThat(bad.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(bad.index()).isEqualTo(137);
        assertThat(bad.slug()).isEqualTo("batch-expert-137");
        assertThat(bad.errors()).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("level"));
        assertThat(catalog.list("t", AgentQuery.all()).total()).isEqualTo(299);
        assertThat(catalog.find("t", "batch-expert-137")).isEmpty();
        assertThat(catalog.find("t", "batch-expert-299").orElseThrow().reportsTo()).isEqualTo("batch-master");
        assertThat(events).hasSize(1);
    }

    @Test
    void every_offending_field_of_a_record_is_named() {
        ImportReport report = importPublic(Map.of("slug", "Bad Slug", "level", "seven", "domains", List.of("ok", 3),
                "temperature", 5), "not an object");
        assertThat(report.results().get(0).errors()).extracting(ImportReport.FieldError::field)
                .containsExactlyInAnyOrder("slug", "name", "level", "domains[1]", "temperature");
        assertThat(report.results().get(1).errors()).extracting(ImportReport.FieldError::field).containsExactly("record");
    }

    @Test
    void hierarchy_accepts_forward_references_and_rejects_bad_parents() {
        ImportReport report = importPublic(
                record("pv-signal-specialist", 3, "reports_to", "pharmacovigilance-expert"),
                record("pharmacovigilance-expert", 2, "reports_to", "chief-medical-officer"),
                record("chief-medical-officer", 1),
                record("orphan-specialist", 3, "reports_to", "nobody-here"),
                record("upside-down", 2, "reports_to", "pv-signal-specialist"),
                record("child-of-rejected", 4, "reports_to", "upside-down"),
                record("pharmacovigilance-expert", 2));

        assertThat(report.results()).extracting(RecordResult::outcome).containsExactly(
                Outcome.CREATED, Outcome.CREATED, Outcome.CREATED, Outcome.FAILED, Outcome.FAILED, Outcome.FAILED,
                Outcome.FAILED);
        assertThat(report.results().get(3).errors().getFirst().message()).contains("nobody-here");
        assertThat(report.results().get(4).errors().getFirst().message()).contains("level");
        assertThat(report.results().get(5).errors().getFirst().message()).contains("rejected");
        assertThat(report.results().get(6).errors().getFirst().field()).isEqualTo("slug");
        assertThat(catalog.find("t", "pv-signal-specialist").orElseThrow().reportsTo()).isEqualTo("pharmacovigilance-expert");

        ImportReport demote = importPublic(record("pharmacovigilance-expert", 3, "reports_to", "chief-medical-officer"));
        assertThat(demote.results().getFirst().errors()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("pv-signal-specialist"));
    }

    @Test
    void private_agents_are_invisible_to_other_tenants_and_shadow_a_public_slug_for_their_own() {
        importPublic(record("market-access-expert", 2, "specialty", "public"));
        catalog.importRecords("tenant-a", List.of(record("market-access-expert", 2, "specialty", "private to A"),
                record("a-only-worker", 4, "reports_to", "market-access-expert")), n -> { });

        assertThat(catalog.find("tenant-a", "market-access-expert").orElseThrow().specialty()).isEqualTo("private to A");
        assertThat(catalog.find("tenant-b", "market-access-expert").orElseThrow().specialty()).isEqualTo("public");
        Agent privateWorker = catalog.find("tenant-a", "a-only-worker").orElseThrow();
        assertThat(privateWorker.tenantId()).isEqualTo("tenant-a");
        assertThat(catalog.find("tenant-b", "a-only-worker")).isEmpty();
        assertThat(catalog.find("tenant-b", privateWorker.id())).isEmpty();
        assertThat(catalog.list("tenant-b", AgentQuery.all()).agents()).extracting(Agent::slug)
                .containsExactly("market-access-expert");
        assertThat(catalog.activeAgents("tenant-a")).hasSize(3);
        assertThat(catalog.allActiveAgents()).hasSize(3);

        ImportReport publicPointingAtPrivate = importPublic(record("public-worker", 4, "reports_to", "a-only-worker"));
        assertThat(publicPointingAtPrivate.results().getFirst().outcome()).isEqualTo(Outcome.FAILED);
    }

    @Test
    void list_filters_by_level_domain_and_text_and_pages_with_a_total() {
        importPublic(
                record("ema-regulatory-expert", 2, "domains", List.of("Regulatory Affairs"),
                        "capabilities", List.of("marketing authorisation application")),
                record("fda-regulatory-expert", 2, "domains", List.of("regulatory affairs"),
                        "capabilities", List.of("new drug application")),
                record("heor-specialist", 3, "domains", List.of("market access"),
                        "capabilities", List.of("cost-effectiveness modelling")),
                record("retired-expert", 2, "domains", List.of("regulatory affairs"), "status", "inactive"));

        assertThat(catalog.list("t", new AgentQuery(2, "regulatory affairs", null, null, 10, 0)).total()).isEqualTo(3);
        assertThat(catalog.list("t", new AgentQuery(2, "regulatory affairs", null, AgentStatus.ACTIVE, 10, 0))
                .agents()).extracting(Agent::slug).containsExactly("ema-regulatory-expert", "fda-regulatory-expert");
        AgentPage page = catalog.list("t", new AgentQuery(null, null, null, null, 2, 2));
        assertThat(page.total()).isEqualTo(4);
        assertThat(page.agents()).hasSize(2);
        assertThat(catalog.list("t", new AgentQuery(null, null, "cost effectiveness", null, 10, 0)).agents())
                .extracting(Agent::slug).containsExactly("heor-specialist");
        assertThat(catalog.list("t", new AgentQuery(null, null, "fda-reg", null, 10, 0)).agents())
                .extracting(Agent::slug).containsExactly("fda-regulatory-expert");
    }

    @Test
    void full_text_search_ranks_by_the_generated_document_and_skips_inactive_agents() {
        importPublic(
                record("pv-signal-specialist", 3, "capabilities", List.of("signal detection", "disproportionality analysis")),
                record("cmc-quality-expert", 2, "capabilities", List.of("process validation"),
                        "description", "Quality systems; mentions signal once in passing."),
                record("old-pv", 3, "capabilities", List.of("signal detection"), "status", "deprecated"));

        List<ScoredAgent> hits = catalog.search("t", "How do we run signal detection with disproportionality?", 10);
        assertThat(hits).extracting(ScoredAgent::slug).containsExactly("pv-signal-specialist", "cmc-quality-expert");
        assertThat(hits.get(0).score()).isGreaterThan(hits.get(1).score());
        assertThat(catalog.search("t", "?!", 10)).isEmpty();
    }

    @Test
    void request_context_boosts_matching_agents_and_brings_in_ones_the_text_misses() {
        importPublic(
                record("us-label-expert", 2, "capabilities", List.of("labeling"), "regions", List.of("us")),
                record("eu-label-expert", 2, "capabilities", List.of("labeling"), "regions", List.of("EU")),
                record("global-label-expert", 2, "capabilities", List.of("labeling"), "regions", List.of("global")),
                record("oncology-phase-expert", 3, "therapeutic_areas", List.of("Oncology"), "phases", List.of("phase 3")));

        List<String> eu = catalog.search("t", new CatalogueSearch("labeling rules", "eu", null, null, null, 10))
                .stream().map(ScoredAgent::slug).toList();
        assertThat(eu).containsExactly("eu-label-expert", "global-label-expert", "us-label-expert");

        List<ScoredAgent> contextOnly = catalog.search("t",
                new CatalogueSearch("", null, null, "oncology", "Phase_3", 10));
        assertThat(contextOnly).singleElement().satisfies(hit -> {
            assertThat(hit.slug()).isEqualTo("oncology-phase-expert");
            assertThat(hit.score()).isEqualTo(2 * CatalogueSearch.CONTEXT_BOOST, org.assertj.core.data.Offset.offset(1e-6));
        });
        assertThat(catalog.search("t", CatalogueSearch.text("", 5))).isEmpty();
    }

    @Test
    void collaborations_resolve_forward_references_and_ignore_unknown_slugs_with_a_warning() {
        ImportReport report = importPublic(
                record("clinical-ops-expert", 2, "collaborates_with", List.of("biostatistics-expert", "ghost")),
                record("biostatistics-expert", 2));
        assertThat(report.results().getFirst().warnings()).singleElement().asString().contains("ghost");
        assertThat(catalog.find("t", "clinical-ops-expert").orElseThrow().collaboratesWith())
                .containsExactly("biostatistics-expert");

        ImportReport same = importPublic(record("clinical-ops-expert", 2, "collaborates_with", List.of("biostatistics-expert")));
        assertThat(same.results().getFirst().outcome()).isEqualTo(Outcome.UNCHANGED);
        ImportReport cleared = importPublic(record("clinical-ops-expert", 2, "collaborates_with", List.of()));
        assertThat(cleared.results().getFirst().outcome()).isEqualTo(Outcome.UPDATED);
        assertThat(catalog.find("t", "clinical-ops-expert").orElseThrow().collaboratesWith()).isEmpty();
    }

    @Test
    void require_active_answers_agent_not_found_for_inactive_or_unknown_agents() {
        importPublic(record("sleeping-expert", 2, "status", "inactive"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalog.requireActive("t", "sleeping-expert"))
                .isInstanceOfSatisfying(io.askexpert.errors.AskExpertException.class,
                        e -> assertThat(e.code()).isEqualTo(io.askexpert.errors.ErrorCode.AGENT_NOT_FOUND));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalog.requireActive("t", "no-such-agent"))
                .isInstanceOf(io.askexpert.errors.AskExpertException.class);
    }
}
