package io.askexpert.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.agents.AgentCatalog;
import io.askexpert.testsupport.TestPostgres;
import io.askexpert.testsupport.TestService;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Start-up on a fresh database: by the time the service is ready (the ready event has run, so the
 * banner is printed and {@code /health} answers 200), the routing snapshot holds the whole starter
 * catalogue, and a mode 2 selection asked at once routes on it, with no waiting.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RoutingReadinessIT {

    static final TestPostgres DB = TestPostgres.create();
    @TempDir static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestService.register(registry, DB, dataDir);
        registry.add("ask-expert.role", () -> "api");
    }

    @AfterAll
    static void dropDatabase() {
        DB.close();
    }

    @Autowired AgentCatalog catalog;
    @Autowired CatalogueSnapshots snapshots;
    @Autowired FusionEngine engine;

    @Test
    void when_ready_the_snapshot_holds_the_starter_catalogue_and_routes_at_once() {
        assertThat(catalog.allActiveAgents()).hasSizeGreaterThan(50);
        assertThat(snapshots.get().size()).isEqualTo(catalog.allActiveAgents().size());
        assertThat(snapshots.get().catalogueVersion()).isEqualTo(catalog.version());
        FusionResult result = engine.select(new FusionRequest("How fast must a fatal SUSAR be reported in the EU?",
                "t1", 3, Map.of(), null));
        assertThat(result.fallback()).isFalse();
        assertThat(result.selectedExperts()).isNotEmpty();
    }

    @Test
    void the_profiles_embeddings_are_stored_so_a_restart_reads_them() throws Exception {
        try (var c = java.sql.DriverManager.getConnection(DB.jdbcUrl());
             var rs = c.createStatement().executeQuery("select count(*) from routing_vectors")) {
            rs.next();
            // every profile, plus the concept phrases
            assertThat(rs.getLong(1)).isGreaterThan(catalog.allActiveAgents().size());
        }
    }
}
