package io.askexpert.agents;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.askexpert.database.Migrations;
import io.askexpert.testsupport.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A floor for routing quality from PostgreSQL full text alone over the starter catalogue and its
 * labelled questions: the simplest retriever fusion builds on, so a catalogue or label change that
 * breaks the vocabulary shows up here. Prints the accuracies it measured.
 */
class RoutingBaselineIT {

    record Labelled(String query, List<String> expected) {
    }

    static List<Labelled> routingSet() throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        List<Labelled> out = new ArrayList<>();
        try (InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("eval/routing/starter/questions.jsonl"))) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    JsonNode node = json.readTree(line);
                    List<String> expected = new ArrayList<>();
                    node.path("expected").forEach(s -> expected.add(s.asString()));
                    out.add(new Labelled(node.path("query").asString(), expected));
                }
            }
        }
        return out;
    }

    @Test
    void full_text_alone_routes_most_questions_to_an_acceptable_expert_in_its_top_three() throws IOException {
        try (TestPostgres db = TestPostgres.create(); HikariDataSource dataSource = new HikariDataSource()) {
            dataSource.setJdbcUrl(db.jdbcUrl());
            dataSource.setMaximumPoolSize(2);
            new Migrations(dataSource).upgrade(null);
            AgentCatalog catalog = new AgentCatalog(dataSource, event -> { });
            catalog.importRecords(null, StarterCatalogue.records(), n -> { });

            List<Labelled> set = routingSet();
            int top1 = 0;
            int top3 = 0;
            for (Labelled q : set) {
                List<String> hits = catalog.search("eval", q.query(), 3).stream().map(ScoredAgent::slug).toList();
                if (!hits.isEmpty() && q.expected().contains(hits.getFirst())) {
                    top1++;
                }
                if (hits.stream().anyMatch(q.expected()::contains)) {
                    top3++;
                }
            }
            double acc1 = (double) top1 / set.size();
            double acc3 = (double) top3 / set.size();
            System.out.printf("routing baseline (PostgreSQL full text only): %d questions, top-1 %.3f, top-3 %.3f%n",
                    set.size(), acc1, acc3);
            assertThat(acc3).isGreaterThanOrEqualTo(0.80);
            assertThat(acc1).isGreaterThanOrEqualTo(0.60);
        }
    }
}
