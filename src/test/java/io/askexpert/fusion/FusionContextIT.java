package io.askexpert.fusion;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.AskExpertApplication;
import io.askexpert.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The engine as Spring wires it, over a real database. */
class FusionContextIT {

    private TestPostgres db;
    private ConfigurableApplicationContext context;

    @BeforeEach
    void start() throws Exception {
        db = TestPostgres.create();
        Path dataDir = Files.createTempDirectory("fusion-it");
        context = new SpringApplicationBuilder(AskExpertApplication.class).web(WebApplicationType.NONE)
                .run("--ask-expert.role=api", "--ask-expert.database.url=" + db.jdbcUrl(),
                        "--ask-expert.data-dir=" + dataDir, "--ask-expert.langfuse.enabled=false");
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        db.close();
    }

    @Test
    void the_engine_is_wired_and_answers_on_an_empty_catalogue_without_inventing_experts() throws Exception {
        context.getBean(CatalogueSnapshots.class).awaitReady(java.time.Duration.ofSeconds(30));
        FusionResult result = context.getBean(FusionEngine.class)
                .select(new FusionRequest("Who knows FDA IND submissions?", "t1", 3, Map.of(), null));
        assertThat(result.selectedExperts()).isEmpty();
        assertThat(result.evidence().degraded()).isFalse();
    }
}
