package io.askexpert.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SyntheticCatalogueTest {

    @Test
    void the_same_seed_gives_the_same_catalogue() {
        assertThat(SyntheticCatalogue.generate(200, 7)).isEqualTo(SyntheticCatalogue.generate(200, 7));
        assertThat(SyntheticCatalogue.generate(200, 7)).isNotEqualTo(SyntheticCatalogue.generate(200, 8));
    }

    @Test
    void the_catalogue_has_the_requested_size_unique_slugs_and_a_valid_hierarchy() {
        var experts = SyntheticCatalogue.generate(1000, 1);
        assertThat(experts).hasSize(1000);
        Set<String> ids = experts.stream().map(SyntheticCatalogue.Expert::id).collect(Collectors.toSet());
        Set<String> slugs = experts.stream().map(SyntheticCatalogue.Expert::slug).collect(Collectors.toSet());
        assertThat(ids).hasSize(1000);
        assertThat(slugs).hasSize(1000);
        assertThat(experts).allSatisfy(e -> {
            assertThat(e.reportsTo() == null || ids.contains(e.reportsTo())).isTrue();
            assertThat(slugs).containsAll(e.collaboratesWith());
            assertThat(e.capabilities()).isNotEmpty();
            assertThat(e.regions()).isNotEmpty();
        });
    }

    @Test
    void about_one_expert_in_ten_is_private_to_a_tenant() {
        long privateCount = SyntheticCatalogue.generate(10_000, 3).stream().filter(e -> e.tenantId() != null).count();
        assertThat(privateCount).isBetween(800L, 1200L);
    }
}
