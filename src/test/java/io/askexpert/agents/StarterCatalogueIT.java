package io.askexpert.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.agents.ImportReport.Outcome;
import io.askexpert.database.Migrations;
import io.askexpert.testsupport.TestPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StarterCatalogueIT {

    private TestPostgres db;
    private HikariDataSource dataSource;
    private final List<Object> events = new ArrayList<>();
    private AgentCatalog catalog;

    @BeforeEach
    void setUp() {
        db = TestPostgres.create();
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(db.jdbcUrl());
        dataSource.setMaximumPoolSize(3);
        new Migrations(dataSource).upgrade(null);
        catalog = new AgentCatalog(dataSource, events::add);
    }

    @AfterEach
    void tearDown() {
        dataSource.close();
        db.close();
    }

    @Test
    void first_start_loads_every_starter_agent_once_and_later_starts_leave_the_catalogue_alone() {
        StarterCatalogue starter = new StarterCatalogue(catalog, true);
        starter.loadOnFirstStart();

        List<Agent> agents = catalog.allActiveAgents();
        assertThat(agents).hasSize(StarterCatalogue.records().size()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(events).hasSize(1);
        Map<String, Agent> bySlug = agents.stream().collect(Collectors.toMap(Agent::slug, Function.identity()));
        for (Agent a : agents) {
            assertThat(a.isPublic()).isTrue();
            if (a.level() == AgentLevel.MASTER) {
                assertThat(a.reportsTo()).as(a.slug()).isNull();
            } else {
                Agent parent = bySlug.get(a.reportsTo());
                assertThat(parent).as(a.slug() + " reports to " + a.reportsTo()).isNotNull();
                assertThat(parent.level().number()).isLessThan(a.level().number());
            }
            assertThat(a.knowledgeNamespaces()).as(a.slug()).isNotEmpty();
            assertThat(a.capabilities()).as(a.slug()).isNotEmpty();
        }
        assertThat(agents).extracting(a -> a.level().number()).contains(1, 2, 3, 4);

        catalog.importRecords(null, List.of(Map.of("slug", "fda-ind-specialist", "name", "Renamed by the operator",
                "level", 3, "reports_to", "fda-regulatory-expert")), n -> { });
        long version = catalog.version();
        new StarterCatalogue(catalog, true).loadOnFirstStart();
        assertThat(catalog.version()).isEqualTo(version);
        assertThat(catalog.find("t", "fda-ind-specialist").orElseThrow().name()).isEqualTo("Renamed by the operator");
    }

    @Test
    void importing_the_starter_file_twice_changes_nothing_the_second_time() {
        ImportReport first = catalog.importRecords(null, StarterCatalogue.records(), n -> { });
        assertThat(first.count(Outcome.FAILED)).as(first.results().toString()).isZero();
        assertThat(first.results()).allSatisfy(r -> assertThat(r.warnings()).as(r.slug()).isEmpty());
        ImportReport second = catalog.importRecords(null, StarterCatalogue.records(), n -> { });
        assertThat(second.count(Outcome.UNCHANGED)).isEqualTo(second.results().size());
    }

    @Test
    void is_off_when_disabled() {
        new StarterCatalogue(catalog, false).loadOnFirstStart();
        assertThat(catalog.allActiveAgents()).isEmpty();
    }
}
