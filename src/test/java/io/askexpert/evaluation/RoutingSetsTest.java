package io.askexpert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.askexpert.agents.AgentCatalog;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The labelled routing sets under eval/routing: valid catalogues, labels that name real experts and departments. */
class RoutingSetsTest {

    @ParameterizedTest
    @ValueSource(strings = {"starter", "halvard", "novarine", "corvane"})
    void every_record_is_valid_and_every_label_names_an_expert_and_its_department(String name) throws Exception {
        RoutingSet set = RoutingSet.read(Path.of("eval", "routing", name));
        Set<String> slugs = new HashSet<>();
        for (Object record : set.catalogue()) {
            var parsed = AgentCatalog.parse(record);
            assertThat(parsed.errors()).as(String.valueOf(record)).isEmpty();
            slugs.add(parsed.draft().slug());
        }
        assertThat(set.departments().keySet()).as("every expert has a department").isEqualTo(slugs);
        Set<String> departments = new HashSet<>(set.departments().values());
        for (RoutingEvaluation.Case c : set.questions()) {
            assertThat(slugs).as(c.query()).containsAll(c.expected());
            String department = c.department() != null ? c.department() : set.departments().get(c.expected().getFirst());
            assertThat(departments).as(c.query()).contains(department);
            assertThat(set.departments().get(c.expected().getFirst())).as(c.query()).isEqualTo(department);
        }
        if (!name.equals("starter")) {
            assertThat(slugs).hasSizeGreaterThanOrEqualTo(200);
            assertThat(set.questions()).hasSizeGreaterThanOrEqualTo(150);
            Map<String, Long> perDepartment = set.questions().stream()
                    .collect(Collectors.groupingBy(RoutingEvaluation.Case::department, Collectors.counting()));
            assertThat(perDepartment.values()).as("questions in every department").allMatch(n -> n >= 5);
        }
    }
}
