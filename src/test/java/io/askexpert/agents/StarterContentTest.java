package io.askexpert.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The shipped starter content holds together: valid agents, primers with sources, labels that exist. */
class StarterContentTest {

    private static List<AgentDraft> drafts() {
        return StarterCatalogue.records().stream().map(r -> {
            AgentCatalog.ParseResult p = AgentCatalog.parse(r);
            assertThat(p.errors()).as(String.valueOf(r)).isEmpty();
            return p.draft();
        }).toList();
    }

    private static Set<String> slugs() {
        Set<String> slugs = new HashSet<>();
        drafts().forEach(d -> slugs.add(d.slug()));
        return slugs;
    }

    @Test
    void every_starter_agent_is_valid_and_every_reference_resolves() {
        List<AgentDraft> drafts = drafts();
        Set<String> slugs = slugs();
        assertThat(drafts).hasSizeGreaterThanOrEqualTo(40);
        assertThat(slugs).hasSameSizeAs(drafts);
        for (AgentDraft d : drafts) {
            if (d.reportsTo() != null) {
                assertThat(slugs).as(d.slug() + " reports_to").contains(d.reportsTo());
            }
            if (d.collaboratesWith() != null) {
                assertThat(slugs).as(d.slug() + " collaborates_with").containsAll(d.collaboratesWith());
            }
            assertThat(d.specialty()).as(d.slug()).isNotBlank();
            assertThat(d.description()).as(d.slug()).isNotBlank();
            assertThat(d.systemPrompt()).as(d.slug()).isNotBlank();
        }
    }

    @Test
    void every_primer_has_front_matter_with_sources_and_sits_in_its_namespace_folder() throws IOException {
        Resource[] primers = new PathMatchingResourcePatternResolver().getResources("classpath*:starter/knowledge/*/*.md");
        assertThat(primers).hasSizeGreaterThanOrEqualTo(30);
        Set<String> namespaces = new HashSet<>();
        for (Resource primer : primers) {
            String text = primer.getContentAsString(StandardCharsets.UTF_8);
            assertThat(text).as(primer.getFilename()).startsWith("---\n");
            int end = text.indexOf("\n---\n", 4);
            assertThat(end).as(primer.getFilename()).isPositive();
            Map<String, Object> front = new Yaml().load(text.substring(4, end));
            String folder = primer.getURL().toString().replaceAll(".*/starter/knowledge/([^/]+)/[^/]+$", "$1");
            assertThat(front.get("namespace")).as(primer.getFilename()).isEqualTo(folder);
            assertThat(front.get("title")).as(primer.getFilename()).isInstanceOf(String.class);
            assertThat(front.get("domain")).as(primer.getFilename()).isInstanceOf(String.class);
            assertThat(front.get("sources")).as(primer.getFilename()).isInstanceOfSatisfying(List.class, sources -> {
                assertThat(sources).isNotEmpty();
                for (Object s : sources) {
                    assertThat(s).isInstanceOfSatisfying(Map.class, m -> {
                        assertThat(m.get("title")).isInstanceOf(String.class);
                        assertThat(String.valueOf(m.get("url"))).startsWith("https://");
                    });
                }
            });
            int words = text.substring(end).split("\\s+").length;
            assertThat(words).as(primer.getFilename() + " words").isBetween(200, 600);
            namespaces.add(folder);
        }
        Set<String> used = new HashSet<>();
        drafts().forEach(d -> used.addAll(d.knowledgeNamespaces()));
        assertThat(namespaces).as("every namespace an agent reads has primers").containsAll(used);
    }

    @Test
    void routing_set_has_at_least_120_questions_labelled_with_existing_slugs() throws IOException {
        Set<String> slugs = slugs();
        JsonMapper json = JsonMapper.builder().build();
        Set<String> firstChoices = new HashSet<>();
        int count = 0;
        try (InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("eval/routing/starter/questions.jsonl"))) {
            assertThat(in).isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = json.readTree(line);
                assertThat(node.path("query").asString()).as(line).hasSizeGreaterThan(20);
                JsonNode expected = node.path("expected");
                assertThat(expected.size()).as(line).isBetween(1, 3);
                for (JsonNode slug : expected) {
                    assertThat(slugs).as(line).contains(slug.asString());
                }
                firstChoices.add(expected.get(0).asString());
                count++;
            }
        }
        assertThat(count).isGreaterThanOrEqualTo(120);
        assertThat(firstChoices.size()).as("distinct first choices").isGreaterThanOrEqualTo(50);
    }
}
